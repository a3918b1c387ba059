import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";

/**
 * How the dispatch function is bundled (NodejsFunction `bundling`, local esbuild, never Docker), in
 * one place so the cold-start benchmark bundles exactly what the stack deploys.
 * - ESM, because Octokit ships only ES modules; `module` before `main` so dual packages give their
 *   ES build; the banner gives bundled CommonJS dependencies a `require` for Node built-ins.
 * - Minified, with a source map (read at load with `--enable-source-maps`, see
 *   {@link DISPATCH_FUNCTION_NODE_OPTIONS}) but without `sourcesContent`: stack traces still map to
 *   file:line, and the map shrinks from about 3.2 MB to 1.1 MB, which the cold-start benchmark
 *   measured as a real gain (Node parses the whole map at start).
 * - The AWS SDK is bundled at the tested, pinned versions rather than whatever the runtime ships.
 */
export const DISPATCH_FUNCTION_BUNDLING: Required<
  Pick<
    nodejs.BundlingOptions,
    | "format"
    | "target"
    | "mainFields"
    | "minify"
    | "sourceMap"
    | "sourcesContent"
    | "banner"
    | "bundleAwsSDK"
    | "forceDockerBundling"
  >
> = {
  format: nodejs.OutputFormat.ESM,
  target: "node24",
  mainFields: ["module", "main"],
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  banner:
    "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  bundleAwsSDK: true,
  forceDockerBundling: false,
};

/** The function's `NODE_OPTIONS`: stack traces mapped through the bundle's source map. */
export const DISPATCH_FUNCTION_NODE_OPTIONS = "--enable-source-maps";
