/**
 * Setup file of the `unit` project, whose test files share their worker processes (isolate:
 * false, for speed): each file must leave the process as it found it, or a later file would
 * run in a changed world. Fails the file that changed the environment, the working directory
 * or the standard streams.
 */
import { afterAll, beforeAll, expect } from 'vitest';

let env: NodeJS.ProcessEnv;
let cwd: string;
let writes: [typeof process.stdout.write, typeof process.stderr.write];
let stdin: PropertyDescriptor | undefined;
let exit: typeof process.exit;

beforeAll(() => {
  env = { ...process.env };
  cwd = process.cwd();
  writes = [process.stdout.write, process.stderr.write];
  stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
  exit = process.exit;
});

afterAll(() => {
  expect(process.env, 'a test changed process.env and did not restore it').toEqual(env);
  expect(process.cwd(), 'a test changed the working directory').toBe(cwd);
  expect([process.stdout.write, process.stderr.write], 'a test left stdout/stderr replaced').toEqual(writes);
  expect(Object.getOwnPropertyDescriptor(process, 'stdin'), 'a test left process.stdin replaced').toEqual(stdin);
  expect(process.exit, 'a test left process.exit replaced').toBe(exit);
});
