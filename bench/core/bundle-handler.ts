import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { type BuildOptions, build } from "esbuild";

/**
 * The stack's bundling options (infra/dispatch-function.ts, NodejsFunction `bundling`): ESM with a
 * createRequire banner, `module` before `main`, minified, with source maps, the AWS SDK bundled.
 * Only the target differs: node20, so the bundle runs on this machine's Node.
 */
export const STACK_BUNDLING: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  mainFields: ["module", "main"],
  minify: true,
  sourcemap: true,
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
};

/** The function's `NODE_OPTIONS` in the stack: source-mapped stack traces (Node reads the map at load). */
export const STACK_NODE_OPTIONS = "--enable-source-maps";

/** A bundle written by {@link bundleHandler}. */
export interface HandlerBundle {
  /** Absolute path of `index.mjs`. */
  readonly file: string;
  /** Size of `index.mjs` in bytes (the source map not counted). */
  readonly bytes: number;
}

/** Bundles `entry` as the stack does into `outDir/index.mjs` (plus its `.map`). */
export async function bundleHandler(entry: string, outDir: string): Promise<HandlerBundle> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, "index.mjs");
  await build({ ...STACK_BUNDLING, entryPoints: [entry], outfile: file, logLevel: "error" });
  return { file, bytes: (await stat(file)).size };
}
