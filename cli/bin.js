#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the operator tool uses the project's sources as they are.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");
