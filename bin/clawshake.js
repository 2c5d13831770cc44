#!/usr/bin/env node
// Entry point of the `clawshake` command. The sources are TypeScript run by Node's type stripping, which needs Node 24.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  process.stderr.write(
    `clawshake needs Node.js 24 or newer; this is ${process.version}.\n` +
      "Inside the project, `npx clawshake …` and `npm run clawshake -- …` use the Node 24 the project installs.\n",
  );
  process.exit(1);
}
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
