import type { Command } from 'commander';
import { ArborError } from '../core/index.js';
import type { LibraryEntry, LibraryProgram } from '../transfer/index.js';
import { optionWithRuntimeDefault, withExamples } from './help.js';
import { action, intOption, printJson } from './run.js';

/** One entry as `arbor library list --json` and `show --json` print it: the entry without its folder. */
export type EntryListing = Omit<LibraryEntry, 'libraryDir'>;

export function listEntry(e: LibraryEntry): EntryListing {
  const { libraryDir: _folder, ...listing } = e;
  return listing;
}

/** The headline of an entry's measured strength: Elo and the oracle's optimal-move rate when a run's evaluation recorded them. */
export function measuredSummary(measured: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  const evaluation = measured.evaluation as Record<string, unknown> | undefined;
  const elo = evaluation?.elo ?? measured.elo;
  if (typeof elo === 'number') parts.push(`Elo ${elo.toFixed(0)}`);
  const oracle = (evaluation?.oracle ?? measured.oracle) as Record<string, unknown> | undefined;
  if (typeof oracle?.optimalMoveRate === 'number') parts.push(`oracle ${(100 * oracle.optimalMoveRate).toFixed(1)}% optimal`);
  if (Array.isArray(measured.oracleTests)) {
    // The starter library's oracle figures on a game of its choosing (zero-shot on a larger board, say).
    for (const o of measured.oracleTests as Record<string, unknown>[]) {
      if (typeof o?.decisiveClassOptimalRate !== 'number') continue;
      const who = o.simulations === 1 ? 'raw net' : `search ${String(o.simulations)}`;
      parts.push(`${String(o.game)}${o.zeroShot === true ? ' zero-shot' : ''} ${who} ${(100 * o.decisiveClassOptimalRate).toFixed(1)}% of decisive`);
    }
  }
  for (const [key, value] of Object.entries(measured)) {
    if (key !== 'elo' && (typeof value === 'number' || typeof value === 'string')) parts.push(`${key} ${String(value)}`);
  }
  return parts.length > 0 ? parts.join(', ') : '-';
}

function formatTable(entries: readonly LibraryEntry[]): string {
  const header = ['NAME', 'KIND', 'LIBRARY', 'GAMES', 'SIZES', 'SELF-PLAY', 'MEASURED'];
  const rows = entries.map((e) => [
    e.name, e.kind, e.library, e.games.join(' ') || '-', e.sizes.join(' ') || '-',
    e.selfPlayGames === null ? '-' : `${e.selfPlayGames} games`, measuredSummary(e.measured),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

function formatEntry(e: LibraryEntry, checked: boolean, program?: LibraryProgram): string {
  const list = (xs: readonly string[]) => (xs.length === 0 ? '-' : xs.join(', '));
  const lines = [
    `name          ${e.name}`,
    `kind          ${e.kind}`,
    `library       ${e.library} (${e.libraryDir})`,
    `reads         ${list(e.reads)}`,
    `writes        ${list(e.writes)}`,
    `architecture  ${e.architecture === null ? '-' : Object.entries(e.architecture).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`,
    `games         ${list(e.games)}`,
    `sizes         ${list(e.sizes)}`,
    `self-play     ${e.selfPlayGames === null ? '-' : `${e.selfPlayGames} games`}${e.selfPlayPositions === null ? '' : `, ${e.selfPlayPositions} positions`}`,
    `measured      ${measuredSummary(e.measured)}`,
    `parents       ${list(e.parents)}`,
    `run           ${e.run ?? '-'}`,
    `created       ${e.createdAt}`,
    `checksum      ${e.checksum}${checked ? ' (files checked)' : ''}`,
  ];
  if (Array.isArray(e.meta.modules)) lines.push(`modules       ${(e.meta.modules as string[]).join(', ')}`);
  if (e.meta.recipe !== undefined) lines.push(`recipe        ${JSON.stringify(e.meta.recipe)}`);
  if (program) {
    lines.push(`type          ${program.type}`);
    lines.push('program', ...program.text.replace(/\n$/, '').split('\n').map((l) => `  ${l}`));
  }
  return lines.join('\n');
}

function parseMeasured(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ArborError(`--measured ${text} is not JSON; give an object of figures, e.g. --measured '{"elo":120,"oracle":0.93}'`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ArborError(`--measured must be a JSON object of figures, e.g. '{"elo":120}', not ${text}`);
  return value as Record<string, unknown>;
}

interface LibraryOptions {
  library?: string;
  json?: boolean;
}

const LIBRARY_DEFAULT = '$ARBOR_LIBRARY, else ~/.arbor/library';

async function openLibraries(opts: LibraryOptions) {
  const { Libraries } = await import('../transfer/index.js');
  return new Libraries({ user: opts.library });
}

export function register(program: Command): void {
  const command = program
    .command('library')
    .summary('the library of learned networks, modules and programs: list, show, add, remove, abstract')
    .description('the library of reusable learned pieces: whole networks (kind net, played as mcts:model=lib:NAME), their modules (stem, trunk, policy heads by action kind, value head) and programs (kind program). Your library is searched first, then the read-only starter library shipped with arbor.');
  command.helpCommand('help [command]', 'show the help of a library command');
  // Sub-commands report a malformed command line the way their parent does (one line).
  command.hook('preSubcommand', (parent, sub) => {
    sub.configureOutput(parent.configureOutput());
  });

  const libraryOption = () => optionWithRuntimeDefault('--library <dir>', 'your library folder', LIBRARY_DEFAULT);

  const listCommand = command
    .command('list')
    .description('list the entries: yours, then the starter library\'s')
    .addOption(libraryOption())
    .option('--json', 'print a JSON array, one object per entry: {"name","kind","library","reads","writes","architecture","games","sizes","selfPlayGames","selfPlayPositions","measured","parents","run","createdAt","checksum","meta"}')
    .action(action(async (opts: LibraryOptions) => {
      const libraries = await openLibraries(opts);
      try {
        const entries = libraries.list();
        if (opts.json) {
          printJson(entries.map(listEntry));
          return;
        }
        if (entries.length === 0) {
          process.stdout.write(`no entries in ${libraries.user.dir} or the starter library; add a network with arbor library add RUN --name NAME\n`);
          return;
        }
        process.stdout.write(`${formatTable(entries)}\n`);
      } finally {
        libraries.close();
      }
    }));

  const showCommand = command
    .command('show')
    .description('everything about one entry (a program with its text), after checking its files against their checksums')
    .argument('<name>', 'entry name, e.g. c4-small or c4-small/trunk')
    .addOption(libraryOption())
    .option('--json', 'print the entry as one JSON object (the fields of list --json)')
    .action(action(async (name: string, opts: LibraryOptions) => {
      const libraries = await openLibraries(opts);
      try {
        const entry = libraries.get(name);
        libraries.entryDir(entry);
        const { readProgram } = await import('../transfer/index.js');
        const program = entry.kind === 'program' ? readProgram(entry) : undefined;
        if (opts.json) printJson(listEntry(entry));
        else process.stdout.write(`${formatEntry(entry, true, program)}\n`);
      } finally {
        libraries.close();
      }
    }));

  const addCommand = command
    .command('add')
    .description('add a trained network: stored whole as NAME (kind net) and split into its modules NAME/stem, NAME/trunk, NAME/policy, NAME/policy:KIND, NAME/value; from a run folder its self-play counts and latest evaluation are recorded too')
    .argument('<source>', 'a run folder (its latest checkpoint) or a checkpoint folder')
    .requiredOption('--name <name>', 'entry name: letters, digits, dots, dashes, underscores')
    .option('--measured <json>', 'strength figures to record, a JSON object (merged over the run\'s evaluation)')
    .addOption(libraryOption())
    .option('--json', 'print the added entries as a JSON array (the fields of list --json)')
    .action(action(async (source: string, opts: LibraryOptions & { name: string; measured?: string }) => {
      const { addNetwork, checkEntryName } = await import('../transfer/index.js');
      checkEntryName(opts.name);
      const measured = parseMeasured(opts.measured);
      const libraries = await openLibraries(opts);
      try {
        const added = await addNetwork(libraries.user, source, opts.name, { measured });
        if (opts.json) {
          printJson(added.map(listEntry));
          return;
        }
        const [net, ...modules] = added;
        process.stdout.write(`added ${net.name} (net: ${net.games.join(' ')}, ${net.selfPlayGames === null ? 'self-play games not recorded' : `${net.selfPlayGames} self-play games`}, ${measuredSummary(net.measured)}) to ${libraries.user.dir}\n`);
        process.stdout.write(`and its ${modules.length} modules: ${modules.map((m) => `${m.name} (${m.kind})`).join(', ')}\n`);
      } finally {
        libraries.close();
      }
    }));

  const removeCommand = command
    .command('remove')
    .description('remove an entry from your library, with the modules split from it; refused for starter entries and for entries another entry names as its parent')
    .argument('<name>', 'entry name')
    .addOption(libraryOption())
    .option('--json', 'print {"removed":[names]}')
    .action(action(async (name: string, opts: LibraryOptions) => {
      const libraries = await openLibraries(opts);
      try {
        if (!libraries.user.find(name) && libraries.starter.find(name)) {
          throw new ArborError(`entry ${name} is in the starter library, which is read-only; only entries of your library (${libraries.user.dir}) can be removed`);
        }
        const removed = libraries.user.remove(name);
        if (opts.json) printJson({ removed });
        else process.stdout.write(`removed ${removed.join(', ')} from ${libraries.user.dir}\n`);
      } finally {
        libraries.close();
      }
    }));

  const abstractCommand = command
    .command('abstract')
    .description('library learning: find sub-programs that recur across programs of several games, add the best as library functions (kind program, a function type) and rewrite the programs to call them (docs/programs-abstraction.md)')
    .requiredOption('--programs <refs...>', 'the corpus: .arb files (game from a "; game: SPEC" line or a FILE.arb@SPEC suffix), synthesis results (.json: {"programs":[{"text","game"}]}), lib:NAME program entries')
    .option('--top <k>', 'keep at most K abstractions', intOption('--top', 1, 1000), 3)
    .option('--min-uses <n>', 'an abstraction must be called by at least N programs', intOption('--min-uses', 1, 1_000_000), 2)
    .option('--min-games <n>', 'those programs must span at least N games', intOption('--min-games', 1, 1000), 2)
    .option('--max-arity <n>', 'most parameters of an abstraction', intOption('--max-arity', 0, 8), 4)
    .option('--out-dir <dir>', 'write the rewritten programs there, one .arb per input program')
    .option('--dry-run', 'find and print the abstractions, add nothing to the library')
    .addOption(libraryOption())
    .option('--json', 'print {"abstractions":[{"name","type","text","uses","programs","games","compression"}],"corpus":{"programs","before","after","ratio"},"rewritten":[{"source","games","text","file"}],"added":[names],"library"}')
    .action(action(async (opts: LibraryOptions & { programs: string[]; top: number; minUses: number; minGames: number; maxArity: number; outDir?: string; dryRun?: boolean }) => {
      const { readCorpus, corpusPrimitives, compressCorpus, addAbstractions, rewrittenText, calledNames, libraryFunctionText, typeToString, abstractionFigures } = await import('../programs/index.js');
      const corpus = await readCorpus(opts.programs, { user: opts.library });
      // Programs found with the library call its functions: they are part of the language the corpus is checked in.
      const primitives = await corpusPrimitives(corpus, { user: opts.library });
      const result = compressCorpus(corpus, { top: opts.top, minUses: opts.minUses, minGames: opts.minGames, maxArity: opts.maxArity, primitives });
      const names = result.abstractions.map((a) => a.fn.name);
      const rewritten = result.rewritten.map((p) => {
        const called = new Set<string>();
        for (const e of [p.program.body, ...p.program.defines.map((d) => d.body)]) calledNames(e, called);
        return { program: p, text: rewrittenText(p, names.filter((n) => called.has(n))) };
      });
      const files: (string | null)[] = rewritten.map(() => null);
      if (opts.outDir !== undefined && !opts.dryRun) {
        const { join, basename } = await import('node:path');
        const { writeFileAtomic } = await import('../core/index.js');
        const taken = new Set<string>();
        for (let i = 0; i < rewritten.length; i++) {
          const source = rewritten[i].program.source;
          let stem = source.startsWith('lib:') ? source.slice(4).replace(/[/:]/g, '-') : basename(source).replace(/\.(arb|json)(#(\d+))?$/, (_m, _ext, _hash, n: string | undefined) => (n === undefined ? '' : `-${n}`));
          while (taken.has(stem)) stem = `${stem}-${i}`;
          taken.add(stem);
          const file = join(opts.outDir, `${stem}.arb`);
          await writeFileAtomic(file, rewritten[i].text);
          files[i] = file;
        }
      }
      let added: string[] = [];
      const libraries = await openLibraries(opts);
      try {
        if (!opts.dryRun) added = (await addAbstractions(libraries.user, result, corpus)).map((e) => e.name);
        const ratio = result.sizeAfter > 0 ? result.sizeBefore / result.sizeAfter : 1;
        if (opts.json) {
          printJson({
            abstractions: result.abstractions.map((a) => ({
              name: a.fn.name, type: typeToString(a.fn.type), text: libraryFunctionText(a.fn), uses: a.uses, programs: a.programs, games: a.games, compression: a.compression,
            })),
            corpus: { programs: corpus.length, before: result.sizeBefore, after: result.sizeAfter, ratio, pairs: result.pairs, candidates: result.candidates },
            rewritten: rewritten.map((r, i) => ({ source: r.program.source, games: r.program.games, text: r.text, file: files[i] })),
            added,
            library: opts.dryRun ? null : libraries.user.dir,
          });
          return;
        }
        const out: string[] = [];
        out.push(`corpus: ${corpus.length} programs of ${new Set(corpus.flatMap((c) => c.games)).size} games, ${result.sizeBefore} nodes; ${result.pairs} subtree pairs anti-unified, ${result.candidates} candidate abstractions`);
        if (result.abstractions.length === 0) {
          out.push(`no abstraction is called by ${opts.minUses}+ programs of ${opts.minGames}+ games and shrinks the corpus; nothing added`);
        }
        for (const a of result.abstractions) {
          const f = abstractionFigures(a, result);
          out.push('', `${a.fn.name} : ${typeToString(a.fn.type)}    ${f.uses} uses in ${f.programs} programs (${a.games.join(', ')}), saves ${a.compression} nodes`);
          out.push(...libraryFunctionText(a.fn).trimEnd().split('\n').map((l) => `  ${l}`));
        }
        if (result.abstractions.length > 0) {
          out.push('', `corpus ${result.sizeBefore} -> ${result.sizeAfter} nodes with the functions' bodies (${ratio.toFixed(2)}x)`);
          out.push(opts.dryRun ? 'dry run: nothing added to the library' : `added ${added.join(', ')} to ${libraries.user.dir}`);
        }
        for (let i = 0; i < rewritten.length; i++) {
          out.push('', files[i] === null ? `${rewritten[i].program.source}, rewritten:` : `${rewritten[i].program.source} -> ${files[i]}:`);
          out.push(...rewritten[i].text.trimEnd().split('\n').map((l) => `  ${l}`));
        }
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        libraries.close();
      }
    }));

  withExamples(listCommand, [
    { command: 'arbor library list', note: 'every entry: name, kind, games, self-play, measured strength' },
    { command: 'arbor library list --json', note: 'the same for scripts' },
  ]);
  withExamples(showCommand, [{ command: 'arbor library show ttt-quick/trunk', note: 'one entry in full, its files checked' }]);
  withExamples(addCommand, [{ command: 'arbor library add runs/tictactoe-quick --name ttt-quick', note: 'keep the latest network of a run and its modules' }]);
  withExamples(abstractCommand, [
    { command: 'arbor library abstract --programs programs/abstraction/connect4.arb programs/abstraction/gomoku.arb programs/abstraction/tictactoe.arb --dry-run', note: 'the functions three programs share, and the programs rewritten with them' },
    { command: 'arbor library abstract --programs synth-c4.json synth-gomoku.json --top 5 --out-dir rewritten', note: 'learn from synthesis results; add the functions to your library, write the rewritten programs' },
  ]);
  withExamples(removeCommand, [{ command: 'arbor library remove ttt-quick', note: 'remove a net and the modules split from it' }]);
  withExamples(command, [
    { command: 'arbor library add runs/tictactoe-quick --name ttt-quick', note: 'keep a trained network and its modules (after arbor train --game tictactoe --preset quick --run-dir runs/tictactoe-quick)' },
    { command: 'arbor library list', note: 'every entry: name, kind, games, self-play, measured strength' },
    { command: 'arbor library show ttt-quick/trunk', note: 'one entry in full, its files checked' },
    { command: 'arbor move --game tictactoe --agent mcts:model=lib:ttt-quick,simulations=200 -', note: 'a net entry plays wherever a model is accepted' },
    { command: 'arbor library remove ttt-quick', note: 'remove it and its modules' },
    { command: 'arbor library abstract --programs a.arb b.arb c.arb', note: 'learn library functions from programs of several games (docs/programs-abstraction.md)' },
  ]);
}
