import { BenchStandIns } from "./bench-stand-ins.js";

/*
 * Child-process entry: starts the stand-ins (instant GitHub), prints their URLs as one JSON line
 * and serves until its stdin closes, so their CPU is not counted in the parent's process.cpuUsage().
 */
const standIns = await BenchStandIns.start();
process.stdout.write(`${JSON.stringify(standIns.urls)}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  void standIns.close().then(() => process.exit(0));
});
