#!/usr/bin/env node
// The `docket` executable (bin/docket.js runs this file, compiled): the process's arguments in, its exit code out.
import { runCli } from "./cli.ts";

process.exit(await runCli(process.argv.slice(2)));
