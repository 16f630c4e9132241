#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npm install` is the whole build.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
