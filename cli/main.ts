import { runCli } from "./run-cli.js";

// The SDK warns on every run under Node 20 that future versions need Node 22; for a CLI that is
// noise on stderr. An explicit setting by the operator wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// A reader that stops early (`| head`) closes the pipe: stop quietly, as Unix tools do, rather
// than dying with a stack trace about EPIPE. Any other write error still ends the process loudly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await runCli(process.argv.slice(2));
