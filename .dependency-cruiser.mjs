/**
 * The architecture of src/, as rules dependency-cruiser checks in `npm run lint`. The lint
 * output prints a broken rule's `name`; its `comment` says why the rule exists and what to do
 * instead (`npx depcruise src --config .dependency-cruiser.mjs --output-type err-long` prints
 * both). test/architecture.test.ts shows each rule failing on a small broken example.
 *
 * One rule lives elsewhere because it is not about imports: only the entry points read
 * process.env. That is Biome's `style/noProcessEnv`, switched on for src/ in biome.json.
 */

/**
 * The rooms of src/, top to bottom. A module may import from its own room and from the rooms
 * below it, never from a room above it. Paths are regular expressions matched against paths
 * relative to the repository root. Every module in src/ has to be in a room.
 */
const ROOMS = [
  {
    name: 'entry-points',
    what: 'The entry points (src/main.ts, src/cli)',
    paths: ['^src/main\\.ts$', '^src/cli/'],
  },
  {
    name: 'application',
    what: 'src/application.ts (wires the Slack app to the core)',
    paths: ['^src/application\\.ts$'],
  },
  {
    name: 'slack-and-http',
    what: 'src/slack and src/http (the Slack app, the health server)',
    paths: ['^src/slack/', '^src/http/'],
  },
  {
    name: 'core',
    what: 'src/core.ts (builds what runs a turn)',
    paths: ['^src/core\\.ts$'],
  },
  {
    name: 'subscriptions',
    what: 'src/subscriptions (channel subscriptions to spaces: model, poll, delivery; durable/: BullMQ)',
    paths: ['^src/subscriptions/'],
  },
  {
    name: 'turns',
    what: 'src/turns (runs turns, one thread at a time, and the durable queue)',
    paths: ['^src/turns/'],
  },
  {
    name: 'confluence-and-composio',
    what: 'src/confluence and src/composio (Confluence reads, Composio sessions)',
    paths: ['^src/confluence/', '^src/composio/'],
  },
  {
    name: 'agent',
    what: 'src/agent (the model loop)',
    paths: ['^src/agent/'],
  },
  {
    name: 'store',
    what: 'src/store (the key-value store)',
    paths: ['^src/store/'],
  },
  {
    name: 'observability',
    what: 'src/observability (the metrics registry and the tracer every room reports to)',
    paths: ['^src/observability/'],
  },
  {
    name: 'config-logger-errors',
    what: 'src/config.ts, src/logger.ts and src/errors.ts',
    paths: ['^src/(config|logger|errors)\\.ts$'],
  },
];

/** For each room below the top one: it imports nothing from the rooms above it. */
const noUpwardImports = ROOMS.slice(1).map((room, index) => {
  const above = ROOMS.slice(0, index + 1);
  return {
    name: `no-upward-import-from-${room.name}`,
    comment:
      `${room.what} imports nothing from the rooms above it (${above.map((r) => r.name).join(', ')}). ` +
      'A lower room that needs something from above declares an interface or takes a parameter, ' +
      'and the room above passes it in. The rooms are listed in .dependency-cruiser.mjs.',
    severity: 'error',
    from: { path: room.paths },
    to: { path: above.flatMap((r) => r.paths) },
  };
});

const IN_A_ROOM = ROOMS.flatMap((room) => room.paths);

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-slack-outside-the-slack-rooms',
      comment:
        'agent, store, turns, subscriptions, composio, confluence and http import nothing from @slack/*, so they ' +
        'run the same under the Slack app, the terminal chat and the tests. Only src/slack, ' +
        'src/application.ts and the entry points know Slack. Declare a plain interface in the ' +
        'lower room and implement it in src/slack.',
      severity: 'error',
      from: { path: '^src/(agent|store|turns|subscriptions|composio|confluence|http)/' },
      to: { path: '(^|/)node_modules/@slack/' },
    },
    {
      name: 'no-redis-outside-store-and-durable',
      comment:
        'Only src/store (the key-value store), src/turns/durable (the BullMQ queue) and ' +
        'src/subscriptions/durable (the poll schedulers) import ioredis or bullmq, so everything ' +
        'else also runs on the in-memory store. Go through KeyValueStore / Stores, the ' +
        'TurnDispatcher or the PollScheduler instead.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/store/', '^src/turns/durable/', '^src/subscriptions/durable/'],
      },
      to: { path: '(^|/)node_modules/(ioredis|bullmq)/' },
    },
    {
      name: 'no-cycles',
      comment:
        'No import cycles in src/, type-only imports included. Modules that import each other are ' +
        'one module in several files (and, with value imports, their load order starts to matter). ' +
        'Move what they share into a module of its own, or pass it in as a parameter.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...noUpwardImports,
    {
      name: 'no-module-outside-the-rooms',
      comment:
        'This module is in no room, so the layering does not cover it. Add its folder or file to ' +
        'a room in .dependency-cruiser.mjs.',
      severity: 'error',
      from: { path: '^src/', pathNot: IN_A_ROOM },
      to: {},
    },
    {
      name: 'no-import-of-module-outside-the-rooms',
      comment:
        'This import points at a module in no room, so the layering does not cover it. Add its ' +
        'folder or file to a room in .dependency-cruiser.mjs.',
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: IN_A_ROOM },
    },
    {
      name: 'no-test-bench-or-scripts-in-src',
      comment:
        'src/ ships; test/, bench/ and scripts/ do not, so src/ never imports from them. Move the ' +
        'shared piece into src/ and import it from there.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'no-dev-dependency-in-src',
      comment:
        'src/ runs in production, where devDependencies are not installed. A package src/ imports ' +
        'belongs in "dependencies" in package.json.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-package-missing-from-package-json',
      comment:
        'src/ imports only packages named in package.json. One that is installed only because ' +
        'another package needs it can disappear with that package’s next release.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-unresolvable-import',
      comment:
        'This import points at a file or package that is not there: a typo, a moved file, or a ' +
        'package missing from node_modules.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      comment:
        'This module imports nothing and nothing imports it: dead code, or a module someone forgot ' +
        'to wire in. Delete it or import it where it is needed.',
      severity: 'error',
      from: { orphan: true, path: '^src/' },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count too: a type from @slack/* ties a room to Slack all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    // Only compute what the rules above use.
    skipAnalysisNotInRules: true,
  },
};
