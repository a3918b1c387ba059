import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { StandInUrls } from "./bench-stand-ins.js";

const ENTRY = fileURLToPath(new URL("./stand-ins-process.ts", import.meta.url));

/** Stand-ins served by a child process, so their CPU time is not the benchmark process's. */
export class ChildStandIns {
  private constructor(
    private readonly child: ChildProcess,
    readonly urls: StandInUrls,
  ) {}

  /** Spawns `node --import tsx bench/core/stand-ins-process.ts` and waits for its URLs. */
  static async start(): Promise<ChildStandIns> {
    const child = spawn(process.execPath, ["--import", "tsx", ENTRY], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    if (!child.stdout) throw new Error("the stand-in process has no stdout");
    const lines = createInterface({ input: child.stdout });
    const [first] = (await Promise.race([
      once(lines, "line"),
      once(child, "exit").then(([code]) => {
        throw new Error(`the stand-in process exited with ${code} before printing its URLs`);
      }),
    ])) as [string];
    lines.close();
    return new ChildStandIns(child, JSON.parse(first) as StandInUrls);
  }

  /** Closes the child's stdin (it then stops its servers and exits) and waits for it. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, "exit");
    this.child.stdin?.end();
    await exited;
  }
}
