/**
 * Entry of the library build (`dist/lib/parley.js`): importing it registers every Parley
 * element, so one `<script type="module" src=".../parley.js">` makes `<parley-chat>` work,
 * and it exports the public API for code that wants the classes.
 */
import './define.js';

export * from './index.js';
