import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * End-to-end tests run the compiled binary, so the build must match the sources under test.
 * A type error is reported but does not stop unit tests from running (tsc still emits);
 * `npm ci` (prepare) and `npm run typecheck` are where type errors fail the build.
 */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], {
      stdio: 'inherit',
    });
  } catch {
    process.stderr.write('\nlogtool: the TypeScript build reported errors (above); end-to-end tests run the last emitted build\n');
  }
}
