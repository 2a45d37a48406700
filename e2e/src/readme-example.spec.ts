import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProgram,
  flattenDiagnosticMessageText,
  getPreEmitDiagnostics,
  ModuleKind,
  ModuleResolutionKind,
  ScriptTarget,
  transpileModule,
} from 'typescript';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { REPO_ROOT } from '@tessera/testing';
import { makeTempDir, removeTempDir } from './support/temp-dir';

const README_ADDRESS = '127.0.0.1:10911';

/** The README's first ```ts block that uses the SDK. */
function readmeSdkExample(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const example = blocks.find((block) => block.includes("from '@tessera/client'"));
  if (!example) throw new Error('README.md has no ```ts block importing @tessera/client');
  return example;
}

describe('the README', () => {
  let dir: string;
  let broker: BrokerProcess;

  beforeAll(async () => {
    dir = makeTempDir();
    broker = await BrokerProcess.start({ dataDir: join(dir, 'data'), cwd: dir });
  });

  afterAll(async () => {
    await killAllBrokers();
    removeTempDir(dir);
  });

  it('has an SDK example that type-checks against the SDK and runs as written against a live broker', async () => {
    const source = readmeSdkExample();
    expect(source).toContain(README_ADDRESS);
    const typed = join(dir, 'readme-example.ts');
    writeFileSync(typed, source);
    expect(typeErrors(typed)).toEqual([]);

    const { outputText } = transpileModule(source.replaceAll(README_ADDRESS, broker.address), {
      compilerOptions: { module: ModuleKind.CommonJS, target: ScriptTarget.ES2022, esModuleInterop: true },
      reportDiagnostics: true,
    });
    const file = join(dir, 'readme-example.js');
    writeFileSync(file, outputText);
    const run = await runNode(file);
    expect(run).toMatchObject({ exitCode: 0 });
    expect(run.stdout).toMatch(/sent [0-9A-F]{24} to queue \d+ at offset \d+/);
    expect(run.stdout).toContain('received "order #1"');
  });
});

/** Strict type errors of `file`, with `@tessera/client` resolved to the built SDK's declarations. */
function typeErrors(file: string): string[] {
  const program = createProgram([file], {
    strict: true,
    noEmit: true,
    target: ScriptTarget.ES2022,
    module: ModuleKind.CommonJS,
    moduleResolution: ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
    baseUrl: REPO_ROOT,
    paths: { '@tessera/client': ['packages/client/dist/index.d.ts'] },
  });
  return getPreEmitDiagnostics(program).map((d) => flattenDiagnosticMessageText(d.messageText, '\n'));
}

function runNode(file: string): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  // NODE_PATH lets the example, written outside the repo, import the workspace's packages.
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (exitCode) => {
      clearTimeout(killer);
      resolve({ exitCode, stdout, stderr });
    }),
  );
}
