/**
 * Structured one-line logs (JSON), never message bodies. Quiet under tests unless asked.
 */

/** Writes one log line: `{"t":…,"level":…,"msg":…,...fields}`. */
export type Logger = (level: 'info' | 'warn' | 'error', msg: string, fields?: object) => void;

/** The default logger: stdout/stderr, one JSON object per line. */
export const jsonLogger: Logger = (level, msg, fields) => {
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields });
  if (level === 'info') process.stdout.write(line + '\n');
  else process.stderr.write(line + '\n');
};

/** A logger that drops everything (tests). */
export const silentLogger: Logger = () => {};
