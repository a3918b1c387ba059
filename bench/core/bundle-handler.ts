import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { type BuildOptions, build } from "esbuild";
import {
  DISPATCH_FUNCTION_NODE_OPTIONS,
  DISPATCH_FUNCTION_BUNDLING as S,
} from "../../infra/dispatch-function-bundling.js";

/**
 * The stack's own bundling options (infra/dispatch-function-bundling.ts), so the benchmark measures
 * exactly what deploys. Only the target differs: node20, so the bundle runs on this machine's Node.
 */
const STACK_BUNDLING: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  // The stack's `format` is CDK's enum; esbuild wants the literal.
  format: "esm",
  mainFields: [...S.mainFields],
  minify: S.minify,
  sourcemap: S.sourceMap,
  sourcesContent: S.sourcesContent,
  banner: { js: S.banner },
};

/** The function's `NODE_OPTIONS` in the stack. */
export const STACK_NODE_OPTIONS = DISPATCH_FUNCTION_NODE_OPTIONS;

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
