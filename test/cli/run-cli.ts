import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** Runs the compiled `arbor` command (npm test builds dist/ first) and captures its output. */
export function runCli(args: string[], input?: string, timeoutMs = 60_000, env?: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', timeout: timeoutMs, env: env ? { ...process.env, ...env } : undefined });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Quotes one argument for `sh -c`. */
function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Whether util-linux `script` is here to give a command a terminal (it is on Debian: bsdutils). */
export const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/**
 * Runs `arbor` with its stdout (and stderr) on a pseudo-terminal, as a person at a terminal sees
 * it: `script` records both streams into one text, with the terminal's \r\n turned back into \n.
 */
export function runCliInTerminal(args: string[], timeoutMs = 60_000): { code: number | null; output: string } {
  const command = [process.execPath, cli, ...args].map(shellQuote).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: timeoutMs, input: '' });
  return { code: r.status, output: r.stdout.replace(/\r\n/g, '\n') };
}

/**
 * Splits a help example such as `printf "a\nb\n" | arbor solve --game connect4 "b2 a1"` into
 * the arbor arguments and the text piped in (printf's escapes \n resolved): enough shell for
 * the examples the help texts show, which use double quotes and at most one printf pipe.
 */
export function parseExample(line: string): { args: string[]; input?: string } {
  let input: string | undefined;
  let rest = line.trim();
  const pipe = /^printf "((?:[^"\\]|\\.)*)" \| (.*)$/.exec(rest);
  if (pipe) {
    input = pipe[1].replace(/\\n/g, '\n');
    rest = pipe[2];
  }
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(rest); m !== null; m = re.exec(rest)) words.push(m[1] ?? m[2] ?? m[3]);
  if (words[0] !== 'arbor') throw new Error(`example does not run arbor: ${line}`);
  return { args: words.slice(1), input };
}
