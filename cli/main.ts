import { runCli } from "./run-cli.js";

// The SDK warns on every run under Node 20 that future versions need Node 22; for a CLI that is
// noise on stderr. An explicit setting by the operator wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

process.exitCode = await runCli(process.argv.slice(2));
