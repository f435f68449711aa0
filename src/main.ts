/** Entry of the app page: registers the elements. */
import './define.js';
