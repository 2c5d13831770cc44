// The pasted scripts run for real: POSIX ones through bash, sh, and bash/zsh reading them like a paste, against a
// stub `openclaw` that records its exact argv and token; PowerShell ones through a parser of PowerShell's quote rules.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import {
  legacyNodeJson,
  type Method,
  quotePosix,
  quotePowerShell,
  rerunScript,
  type SharedTokenInput,
  type Shell,
  setupLinkScript,
  sharedTokenScript,
  TOKEN_PLACEHOLDER,
} from "../../src/core/commands.ts";
import { commandsEn, commandsZh } from "../../src/core/i18n/commands.ts";
import { t } from "../../src/core/i18n/index.ts";
import { Secret } from "../../src/core/secret.ts";
import type { Lang } from "../../src/core/types.ts";
import { carriesOnWindows } from "../../src/core/validate.ts";
import { OPENCLAW_BIN, OPENCLAW_VERSION } from "../openclaw/harness.ts";

const root = mkdtempSync(join(tmpdir(), "clawshake-commands-"));
const canary = join(root, "canary");
const stubDir = join(root, "bin");
mkdirSync(canary);
mkdirSync(stubDir);
// The Node the project runs on (24.x), first on PATH as on a node ready for OpenClaw; the machine's own is older.
const NODE24_DIR = dirname(process.execPath);
writeFileSync(
  join(stubDir, "openclaw"),
  [
    "#!/bin/bash",
    // A stand-in for `openclaw --version`, in the real binary's format ("OpenClaw 2026.9.6 (eb377ac)"); recorded apart.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    'if [ "$1" = --version ]; then printf "v\\n" >> "$OPENCLAW_STUB_OUT/versions"; echo "OpenClaw ${OPENCLAW_STUB_VERSION:-2026.9.6} (stub)"; exit 0; fi',
    'printf "call\\n" >> "$OPENCLAW_STUB_OUT/calls"',
    'printf "%s\\0" "$@" > "$OPENCLAW_STUB_OUT/argv"',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    'if [ -n "${OPENCLAW_GATEWAY_TOKEN+set}" ]; then printf "%s" "$OPENCLAW_GATEWAY_TOKEN" > "$OPENCLAW_STUB_OUT/token"; fi',
    "",
  ].join("\n"),
);
chmodSync(join(stubDir, "openclaw"), 0o755);
after(() => rmSync(root, { recursive: true, force: true }));

interface Runner {
  name: string;
  command: string;
  args: string[];
  /** Read from stdin by an interactive shell: what a paste into a terminal does, line by line. */
  pasted: boolean;
}

const hasShell = (command: string) => spawnSync(command, ["-c", "exit 0"]).status === 0;
const RUNNERS: Runner[] = [
  { name: "bash", command: "bash", args: [], pasted: false },
  { name: "sh", command: "sh", args: [], pasted: false },
  ...(hasShell("dash") ? [{ name: "dash", command: "dash", args: [], pasted: false }] : []),
  {
    name: "bash pasted interactively",
    command: "bash",
    args: ["--norc", "--noprofile", "-i"],
    pasted: true,
  },
  // zsh starts with interactivecomments off: a pasted `# comment` line is run as a command.
  ...(hasShell("zsh")
    ? [{ name: "zsh pasted interactively", command: "zsh", args: ["-f", "-i"], pasted: true }]
    : []),
];

interface Outcome {
  status: number | null;
  stderr: string;
  calls: number;
  /** How many times the script asked `openclaw --version`. */
  versions: number;
  argv?: Buffer;
  /** What openclaw saw in OPENCLAW_GATEWAY_TOKEN; undefined when it was not set. */
  token?: string;
  home: string;
}

function run(text: string, runner: Runner, extraEnv: Record<string, string> = {}): Outcome {
  const dir = mkdtempSync(join(root, "run-"));
  const home = join(dir, "home");
  const out = join(dir, "out");
  mkdirSync(home);
  mkdirSync(out);
  const script = join(dir, "script.sh");
  writeFileSync(script, text);
  const result = spawnSync(runner.command, runner.pasted ? runner.args : [...runner.args, script], {
    input: runner.pasted ? text : "",
    cwd: dir,
    timeout: 20_000,
    // Built from nothing, so no OPENCLAW_GATEWAY_TOKEN of the machine running the tests leaks in.
    env: {
      PATH: `${stubDir}:${NODE24_DIR}:/usr/bin:/bin`,
      HOME: home,
      OPENCLAW_STUB_OUT: out,
      LC_ALL: "C.UTF-8",
      TERM: "dumb",
      HISTFILE: join(home, ".bash_history"),
      HISTCONTROL: "ignorespace",
      ...extraEnv,
    },
  });
  const read = (name: string) =>
    existsSync(join(out, name)) ? readFileSync(join(out, name)) : undefined;
  return {
    status: result.status,
    stderr: result.stderr.toString("utf8"),
    calls: read("calls")?.toString("utf8").split("\n").filter(Boolean).length ?? 0,
    versions: read("versions")?.toString("utf8").split("\n").filter(Boolean).length ?? 0,
    argv: read("argv"),
    token: read("token")?.toString("utf8"),
    home,
  };
}

/** The bytes the stub records for `args`: each argument followed by a NUL. */
const argvBytes = (args: string[]) =>
  Buffer.concat(args.map((arg) => Buffer.from(`${arg}\0`, "utf8")));

function assertArgv(outcome: Outcome, expected: string[], context: string): void {
  assert.equal(outcome.calls, 1, `openclaw called once (${context}); stderr: ${outcome.stderr}`);
  assert.ok(outcome.argv, `argv recorded (${context})`);
  assert.deepEqual(outcome.argv.toString("utf8").split("\0").slice(0, -1), expected, context);
  assert.ok(outcome.argv.equals(argvBytes(expected)), `argv byte for byte (${context})`);
}

const assertNothingInjected = () =>
  assert.deepEqual(readdirSync(canary), [], "a display name ran a command");

const HOSTILE_NAMES = [
  "My Node",
  "it's",
  'say "hi"',
  `$(touch ${canary}/dollar)`,
  `\`touch ${canary}/backtick\``,
  `'; touch ${canary}/quote; echo '`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, which the display name must not trigger
  "$HOME and ${HOME}",
  "back\\slash \\n \\\\ \\'",
  "!! and !$ history",
  "🦀 emoji 👩‍💻",
  "中文节点",
  "-leading dash",
  "--tls",
  "--dev",
  "--profile=evil",
  "‘smart’ ‚quotes‛ “double”",
  "semi; pipe | amp & <in >out",
  "*?[a] ~ {a,b} glob",
  "%PATH% ^caret #hash",
  "  spaces  inside ",
];

const ENDPOINT = {
  host: "gateway.example.com",
  port: 18789,
  fingerprint: "85544cd42bcfa0b15e50c3f0f6f0b274d89f4ed292119918494290fad3582ea7",
};
// Valid for checkToken (no whitespace), yet full of shell syntax.
const TOKEN = `tok-'"$(touch\${IFS}${canary}/token)\`id\`\\end`;

function expectedArgv(method: Exclude<Method, "legacy-config">, displayName: string): string[] {
  return [
    "node",
    method,
    "--host",
    ENDPOINT.host,
    "--port",
    String(ENDPOINT.port),
    "--tls",
    "--tls-fingerprint",
    ENDPOINT.fingerprint,
    `--display-name=${displayName}`,
  ];
}

describe("shared-token scripts run in POSIX shells", () => {
  for (const method of ["run", "install"] as const) {
    it(`passes every hostile display name byte for byte to openclaw node ${method}, the token only through the environment`, () => {
      for (const displayName of HOSTILE_NAMES) {
        const { text } = sharedTokenScript(
          { ...ENDPOINT, displayName, token: new Secret(TOKEN) },
          method,
          "posix",
          "en",
        );
        for (const runner of RUNNERS) {
          const context = `${runner.name}, ${JSON.stringify(displayName)}`;
          const outcome = run(text, runner);
          assertArgv(outcome, expectedArgv(method, displayName), context);
          assert.equal(outcome.token, TOKEN, `token in the environment (${context})`);
          assert.ok(!outcome.argv?.includes(Buffer.from(TOKEN)), `token not in argv (${context})`);
        }
      }
      assertNothingInjected();
    });
  }

  it("writes node.json exactly as legacyNodeJson says, then runs a bare openclaw node run (method C)", () => {
    for (const displayName of HOSTILE_NAMES) {
      const input = { ...ENDPOINT, displayName };
      const { text } = sharedTokenScript(
        { ...input, token: new Secret(TOKEN) },
        "legacy-config",
        "posix",
        "en",
      );
      for (const runner of RUNNERS) {
        const context = `${runner.name}, ${JSON.stringify(displayName)}`;
        const outcome = run(text, runner);
        assertArgv(outcome, ["node", "run"], context);
        assert.equal(outcome.token, TOKEN, context);
        const written = readFileSync(join(outcome.home, ".openclaw", "node.json"), "utf8");
        assert.equal(written, `${legacyNodeJson(input)}\n`, context);
        assert.deepEqual(JSON.parse(written), {
          version: 1,
          displayName,
          gateway: {
            host: ENDPOINT.host,
            port: ENDPOINT.port,
            tls: true,
            tlsFingerprint: ENDPOINT.fingerprint,
          },
        });
      }
    }
    assertNothingInjected();
  });

  it("keeps the token out of bash history when HISTCONTROL ignores lines that start with a space", () => {
    const { text } = sharedTokenScript(
      { ...ENDPOINT, displayName: "My Node", token: new Secret(TOKEN) },
      "run",
      "posix",
      "en",
    );
    const bashPasted = RUNNERS.find((runner) => runner.name === "bash pasted interactively");
    assert.ok(bashPasted);
    const outcome = run(text, bashPasted);
    const history = readFileSync(join(outcome.home, ".bash_history"), "utf8");
    assert.match(history, /openclaw node run/);
    assert.ok(!history.includes(TOKEN));
  });
});

describe("a shared-token script without the token", () => {
  for (const lang of ["en", "zh-CN"] as const) {
    it(`refuses to start the node until the placeholder is replaced, in bash, with the ${lang} guard message`, () => {
      const { text } = sharedTokenScript(
        { ...ENDPOINT, displayName: "My Node" },
        "run",
        "posix",
        lang,
      );
      const outcome = run(text, RUNNERS[0] as Runner);
      assert.notEqual(outcome.status, 0);
      assert.ok(outcome.stderr.includes(t(lang, "commands.token.guard")), outcome.stderr);
      assert.equal(outcome.calls, 0);
    });
  }

  it("does not call openclaw in any shell, pasted or run as a file, for every method", () => {
    for (const method of ["run", "install", "legacy-config"] as const) {
      const { text } = sharedTokenScript(
        { ...ENDPOINT, displayName: "My Node" },
        method,
        "posix",
        "en",
      );
      assert.ok(text.includes(quotePosix(TOKEN_PLACEHOLDER)));
      for (const runner of RUNNERS)
        assert.equal(run(text, runner).calls, 0, `${method}, ${runner.name}`);
    }
  });

  it("runs the node with the token once a person puts it in place of the placeholder", () => {
    const { text } = sharedTokenScript({ ...ENDPOINT, displayName: "it's" }, "run", "posix", "en");
    const edited = text.replace(`'${TOKEN_PLACEHOLDER}'`, quotePosix(TOKEN));
    for (const runner of RUNNERS) {
      const outcome = run(edited, runner);
      assertArgv(outcome, expectedArgv("run", "it's"), runner.name);
      assert.equal(outcome.token, TOKEN, runner.name);
    }
    assertNothingInjected();
  });

  it("refuses an emptied placeholder too", () => {
    const { text } = sharedTokenScript(
      { ...ENDPOINT, displayName: "My Node" },
      "install",
      "posix",
      "en",
    );
    const outcome = run(text.replace(`'${TOKEN_PLACEHOLDER}'`, "''"), RUNNERS[0] as Runner);
    assert.notEqual(outcome.status, 0);
    assert.equal(outcome.calls, 0);
  });
});

describe("the re-run script", () => {
  it("runs the same openclaw node run with the token already set in the terminal, and carries no token", () => {
    const { text } = rerunScript({ ...ENDPOINT, displayName: "it's" }, "posix", "en");
    assert.ok(!text.includes("OPENCLAW_GATEWAY_TOKEN=") && !text.includes(TOKEN));
    for (const runner of RUNNERS) {
      const outcome = run(text, runner, { OPENCLAW_GATEWAY_TOKEN: TOKEN });
      assertArgv(outcome, expectedArgv("run", "it's"), runner.name);
      assert.equal(outcome.token, TOKEN, runner.name);
    }
    assertNothingInjected();
  });

  for (const lang of ["en", "zh-CN"] as const)
    it(`stops in a terminal where the token is not set, with the ${lang} hint`, () => {
      const { text } = rerunScript({ ...ENDPOINT, displayName: "My Node" }, "posix", lang);
      const outcome = run(text, RUNNERS[0] as Runner);
      assert.notEqual(outcome.status, 0);
      assert.ok(outcome.stderr.includes(t(lang, "commands.rerun.guard")), outcome.stderr);
      assert.equal(outcome.calls, 0);
    });
});

/** A directory with a stand-in `node` that reports `version`, as an older or newer Node would. */
function nodeStandIn(version: string): string {
  const dir = mkdtempSync(join(root, "node-"));
  writeFileSync(join(dir, "node"), `#!/bin/sh\necho ${quotePosix(version)}\n`);
  chmodSync(join(dir, "node"), 0o755);
  return dir;
}

describe("the checks every script makes before it runs openclaw", () => {
  const VERSION = "2026.9.6";
  const CODE = "eyJ1cmwiOiJ3c3M6Ly8xMC4wLjAuMTo-_w";
  /** Every kind of script, for a gateway of `version`. */
  const scripts = (version: string | undefined, lang: Lang = "en") => {
    const v = version === undefined ? {} : { gatewayVersion: version };
    return [
      {
        label: "shared token",
        text: sharedTokenScript(
          { ...ENDPOINT, displayName: "n", token: new Secret(TOKEN), ...v },
          "run",
          "posix",
          lang,
        ).text,
      },
      {
        label: "legacy",
        text: sharedTokenScript(
          { ...ENDPOINT, displayName: "n", token: new Secret(TOKEN), ...v },
          "legacy-config",
          "posix",
          lang,
        ).text,
      },
      {
        label: "re-run",
        text: rerunScript({ ...ENDPOINT, displayName: "n", ...v }, "posix", lang).text,
      },
      {
        label: "setup link",
        text: setupLinkScript(
          { setupCode: new Secret(CODE), displayName: "n", service: false, ...v },
          "posix",
          lang,
        ).text,
      },
      {
        label: "setup link, service",
        text: setupLinkScript(
          { setupCode: new Secret(CODE), displayName: "n", service: true, ...v },
          "posix",
          lang,
        ).text,
      },
    ];
  };
  const env = { OPENCLAW_GATEWAY_TOKEN: TOKEN };

  /** Run as a file, a stopped script prints exactly one line; pasted, the shell adds its prompts around it. */
  function assertStopped(outcome: Outcome, line: string, runner: Runner, context: string): void {
    assert.equal(outcome.calls, 0, `runs nothing else (${context})`);
    if (runner.pasted) assert.ok(outcome.stderr.includes(line), `${context}: ${outcome.stderr}`);
    else assert.equal(outcome.stderr, `${line}\n`, context);
    if (!runner.pasted) assert.notEqual(outcome.status, 0, context);
  }

  it("stops with one line and the exact install command when openclaw reports another version", () => {
    for (const lang of ["en", "zh-CN"] as const) {
      const line = t(lang, "commands.check.version", {
        version: VERSION,
        install: `npm install -g openclaw@${VERSION}`,
      });
      assert.ok(line.includes(`npm install -g openclaw@${VERSION}`));
      for (const { label, text } of scripts(VERSION, lang))
        for (const runner of RUNNERS) {
          const outcome = run(text, runner, { ...env, OPENCLAW_STUB_VERSION: "2026.8.1" });
          assertStopped(outcome, line, runner, `${lang}, ${label}, ${runner.name}`);
          assert.equal(outcome.versions, 1);
        }
    }
  });

  it("does not take a version that only starts like the gateway's for it", () => {
    for (const other of ["2026.9.60", "12026.9.6", "2026.9.6-beta.1", "2026x9x6"]) {
      const { text } = setupLinkScript(
        { setupCode: new Secret(CODE), displayName: "n", service: false, gatewayVersion: VERSION },
        "posix",
        "en",
      );
      const outcome = run(text, RUNNERS[1] as Runner, { OPENCLAW_STUB_VERSION: other });
      assert.equal(outcome.calls, 0, other);
    }
  });

  it("goes on to the command when openclaw reports the gateway's version", () => {
    for (const { label, text } of scripts(VERSION))
      for (const runner of RUNNERS) {
        const outcome = run(text, runner, { ...env, OPENCLAW_STUB_VERSION: VERSION });
        assert.equal(outcome.calls, 1, `${label}, ${runner.name}: ${outcome.stderr}`);
        assert.equal(outcome.versions, 1, `${label}, ${runner.name}`);
      }
  });

  it("checks only presence and Node when the gateway's version is unknown (or not one a script can carry)", () => {
    for (const version of [undefined, "2026.9.6'; touch x", "-rf"])
      for (const { label, text } of scripts(version)) {
        assert.ok(!text.includes("--version\n") && !text.includes("openclaw --version"), label);
        const outcome = run(text, RUNNERS[0] as Runner, { ...env, OPENCLAW_STUB_VERSION: "1.0.0" });
        assert.equal(outcome.calls, 1, label);
        assert.equal(outcome.versions, 0, label);
      }
    assertNothingInjected();
  });

  it("stops with the install command when openclaw is not on PATH", () => {
    for (const [version, install] of [
      [VERSION, `npm install -g openclaw@${VERSION}`],
      [undefined, "npm install -g openclaw"],
    ] as const) {
      const line = t("en", "commands.check.missing", { install });
      for (const { label, text } of scripts(version))
        for (const runner of RUNNERS) {
          const outcome = run(text, runner, { ...env, PATH: `${NODE24_DIR}:/usr/bin:/bin` });
          assertStopped(outcome, line, runner, `${label}, ${runner.name}`);
        }
    }
  });

  it("stops with the Node line when node is older than 24.16, and goes on from 24.16", () => {
    const line = t("en", "commands.check.node", { node: "24.16" });
    assert.match(line, /nodejs\.org/);
    for (const old of [
      "v22.12.0",
      "v24.15.1",
      "v24.1.0",
      "v24.9.9",
      "v20.19.5",
      "v2.16.0",
      "v4.16.0",
      "",
      "node",
    ]) {
      const dir = nodeStandIn(old);
      for (const { label, text } of scripts(VERSION))
        for (const runner of RUNNERS) {
          const outcome = run(text, runner, { ...env, PATH: `${dir}:${stubDir}:/usr/bin:/bin` });
          assertStopped(outcome, line, runner, `${old}, ${label}, ${runner.name}`);
          assert.equal(outcome.versions, 0, "Node is checked before openclaw is asked");
        }
    }
    for (const fine of ["v24.16.0", "v24.20.1", "v24.100.0", "v25.0.0", "v30.1.0", "v100.0.0"]) {
      const dir = nodeStandIn(fine);
      for (const runner of RUNNERS) {
        const outcome = run(scripts(VERSION)[0]?.text ?? "", runner, {
          ...env,
          PATH: `${dir}:${stubDir}:/usr/bin:/bin`,
        });
        assert.equal(outcome.calls, 1, `${fine}, ${runner.name}: ${outcome.stderr}`);
      }
    }
  });

  it("stops no terminal: a pasted shell goes on reading after a failed check", () => {
    for (const runner of RUNNERS.filter((r) => r.pasted)) {
      const text = `${scripts(VERSION)[3]?.text}echo still-here >&2\n`;
      const outcome = run(text, runner, { OPENCLAW_STUB_VERSION: "2026.8.1" });
      assert.equal(outcome.calls, 0, runner.name);
      assert.match(outcome.stderr, /still-here/, runner.name);
    }
  });

  it("reads the real openclaw's --version: goes on with the gateway's version, stops with another", () => {
    // The real binary with a code it refuses at once: reaching that refusal proves the script went on.
    const PATH = `${dirname(OPENCLAW_BIN)}:${NODE24_DIR}:/usr/bin:/bin`;
    const refused = "Invalid pairing setup code or URL.";
    const text = (version: string) =>
      setupLinkScript(
        { setupCode: new Secret("abc"), displayName: "n", service: false, gatewayVersion: version },
        "posix",
        "en",
      ).text;
    const same = run(text(OPENCLAW_VERSION), RUNNERS[0] as Runner, { PATH });
    assert.ok(same.stderr.includes(refused), same.stderr);
    assert.ok(!same.stderr.includes("clawshake:"), same.stderr);
    const other = run(text("2026.9.5"), RUNNERS[0] as Runner, { PATH });
    assert.equal(
      other.stderr,
      `${t("en", "commands.check.version", { version: "2026.9.5", install: "npm install -g openclaw@2026.9.5" })}\n`,
    );
  });
});

describe("setup-link scripts run in POSIX shells", () => {
  const CODE = "eyJ1cmwiOiJ3c3M6Ly8xMC4wLjAuMTo-_w";

  it("runs openclaw node run --pair with the link and the exact display name, and sets no token", () => {
    for (const displayName of HOSTILE_NAMES) {
      const { text } = setupLinkScript(
        { setupCode: new Secret(CODE), displayName, service: false },
        "posix",
        "en",
      );
      assert.ok(!text.includes("OPENCLAW_GATEWAY_TOKEN"));
      for (const runner of RUNNERS) {
        const context = `${runner.name}, ${JSON.stringify(displayName)}`;
        const outcome = run(text, runner);
        assertArgv(
          outcome,
          ["node", "run", "--pair", `oc-pair://${CODE}`, `--display-name=${displayName}`],
          context,
        );
        assert.equal(outcome.token, undefined, context);
      }
    }
    assertNothingInjected();
  });

  it("runs openclaw connect with the link and --service for a permanent node, and sets no token", () => {
    for (const displayName of HOSTILE_NAMES) {
      const { text } = setupLinkScript(
        { setupCode: new Secret(CODE), displayName, service: true },
        "posix",
        "zh-CN",
      );
      assert.ok(!text.includes("OPENCLAW_GATEWAY_TOKEN"));
      for (const runner of RUNNERS) {
        const context = `${runner.name}, ${JSON.stringify(displayName)}`;
        const outcome = run(text, runner);
        assertArgv(
          outcome,
          ["connect", `oc-pair://${CODE}`, "--service", `--display-name=${displayName}`],
          context,
        );
        assert.equal(outcome.token, undefined, context);
      }
    }
    assertNothingInjected();
  });

  it("does not double the oc-pair:// scheme when the code already has it", () => {
    for (const service of [false, true]) {
      const input = { setupCode: new Secret(`oc-pair://${CODE}`), displayName: "My Node", service };
      for (const shell of ["posix", "powershell"] as const) {
        const { text } = setupLinkScript(input, shell, "en");
        assert.ok(text.includes(`'oc-pair://${CODE}'`), text);
        assert.ok(!text.includes("oc-pair://oc-pair://"), text);
      }
    }
  });

  it("keeps the setup code out of bash history when HISTCONTROL ignores lines that start with a space", () => {
    const bashPasted = RUNNERS.find((runner) => runner.name === "bash pasted interactively");
    assert.ok(bashPasted);
    for (const service of [false, true]) {
      const { text } = setupLinkScript(
        {
          setupCode: new Secret(CODE),
          displayName: "My Node",
          service,
          gatewayVersion: "2026.9.6",
        },
        "posix",
        "en",
      );
      const outcome = run(text, bashPasted);
      assert.equal(outcome.calls, 1, outcome.stderr);
      assert.ok(outcome.argv?.includes(Buffer.from(`oc-pair://${CODE}`)));
      const history = readFileSync(join(outcome.home, ".bash_history"), "utf8");
      assert.match(
        history,
        service
          ? /openclaw connect "\$CLAWSHAKE_SETUP_CODE"/
          : /openclaw node run --pair "\$CLAWSHAKE_SETUP_CODE"/,
      );
      assert.ok(!history.includes(CODE), history);
    }
  });

  it("tells the node operator that the link works once, expires in 10 minutes and must not be shared", () => {
    const { text } = setupLinkScript(
      { setupCode: new Secret(CODE), displayName: "n", service: false },
      "posix",
      "en",
    );
    assert.ok(text.includes(`# ${t("en", "commands.setupLink.secret")}\n`));
    assert.match(t("en", "commands.setupLink.secret"), /once.*10 minutes.*Do not share/);
  });
});

/** Every script this module can produce for `displayName`, in both languages. */
function allScripts(
  displayName: string,
): { shell: Shell; lang: Lang; label: string; text: string }[] {
  const scripts = [];
  for (const shell of ["posix", "powershell"] as const) {
    for (const lang of ["en", "zh-CN"] as const) {
      for (const method of ["run", "install", "legacy-config"] as const) {
        for (const token of [new Secret(TOKEN), undefined]) {
          const { text } = sharedTokenScript(
            { ...ENDPOINT, displayName, token },
            method,
            shell,
            lang,
          );
          scripts.push({ shell, lang, label: `${method}${token ? "" : ", placeholder"}`, text });
        }
      }
      const rerun = rerunScript({ ...ENDPOINT, displayName }, shell, lang);
      scripts.push({ shell, lang, label: "re-run", text: rerun.text });
      for (const service of [false, true]) {
        const { text } = setupLinkScript(
          { setupCode: new Secret("abc"), displayName, service },
          shell,
          lang,
        );
        scripts.push({ shell, lang, label: `setup link${service ? ", service" : ""}`, text });
      }
    }
  }
  return scripts;
}

describe("every script", () => {
  it("starts with a comment header naming what it does, the display name and the shell, and ends lines with \\n", () => {
    for (const { shell, lang, label, text } of allScripts("Bob's node")) {
      const context = `${shell}, ${lang}, ${label}`;
      const lines = text.split("\n");
      assert.equal(lines.pop(), "", context);
      assert.ok(!text.includes("\r"), context);
      const quoted = shell === "posix" ? quotePosix("Bob's node") : quotePowerShell("Bob's node");
      const header = label.startsWith("legacy-config") ? lines.slice(1, 3) : lines.slice(0, 2);
      assert.ok(header[0]?.startsWith("# clawshake") && header[0].includes(quoted), context);
      assert.equal(header[1], `# ${t(lang, `commands.shell.${shell}`)}`, context);
    }
  });

  it("holds no command for a display name with an invisible character, which would make it read as another", () => {
    // Names like these are refused now (validate.ts); a session stored before may still hold one.
    for (const displayName of [
      "build-1\u202e1-dliub",
      "build\u200b-1",
      "a\u2066b\u2069c",
      "soft\u00adhyphen",
    ]) {
      for (const { shell, lang, label, text } of allScripts(displayName)) {
        const context = `${shell}, ${lang}, ${label}, ${JSON.stringify(displayName)}`;
        assert.ok(!/\p{Cf}/u.test(text), `no invisible character in the script: ${context}`);
        assert.ok(
          text.split("\n").every((line) => line === "" || line.startsWith("# ")),
          `runs nothing: ${context}\n${text}`,
        );
        assert.ok(!text.includes(TOKEN) && !text.includes("abc"), `no secret: ${context}`);
      }
    }
  });

  it("keeps its POSIX comments free of shell syntax, so a zsh without interactivecomments runs nothing from them", () => {
    for (const displayName of HOSTILE_NAMES) {
      for (const { shell, lang, label, text } of allScripts(displayName)) {
        if (shell !== "posix") continue;
        for (const line of text.split("\n").filter((l) => l.startsWith("#"))) {
          const prose = line.slice(2).replaceAll(quotePosix(displayName), "");
          assert.doesNotMatch(prose, /['"`$\\(){}[\]<>|;&*?!~^=#%]/, `${lang}, ${label}: ${line}`);
        }
      }
    }
  });

  it("says first, for method C, that it is only for older OpenClaw and breaks current nodes", () => {
    for (const shell of ["posix", "powershell"] as const) {
      for (const lang of ["en", "zh-CN"] as const) {
        const { text } = sharedTokenScript(
          { ...ENDPOINT, displayName: "n" },
          "legacy-config",
          shell,
          lang,
        );
        const first = text.split("\n")[0] ?? "";
        assert.equal(first, `# ${t(lang, "commands.legacy.warning")}`);
        assert.ok(first.includes("retired node-host state remains"));
      }
    }
  });

  it("tells a foreground node to run again after pairing required, and an installed one how to restart", () => {
    const input = { ...ENDPOINT, displayName: "n", token: new Secret(TOKEN) };
    const rerun = `# ${t("en", "commands.pairing.rerun")}\n`;
    assert.ok(sharedTokenScript(input, "run", "posix", "en").text.includes(rerun));
    assert.ok(
      sharedTokenScript(input, "install", "posix", "en").text.includes(
        `# ${t("en", "commands.service.restart")}\n`,
      ),
    );
    assert.match(t("en", "commands.pairing.rerun"), /pairing required.*approval.*again/);
  });

  it("has a Simplified Chinese string, not a copy of the English one, for every key", () => {
    assert.deepEqual(Object.keys(commandsZh).sort(), Object.keys(commandsEn).sort());
    for (const [key, english] of Object.entries(commandsEn)) {
      const chinese = commandsZh[key as keyof typeof commandsEn];
      assert.ok(chinese !== english && /[\u4e00-\u9fff]/.test(chinese), key);
      assert.equal(chinese.includes("{name}"), english.includes("{name}"), key);
    }
  });

  it("refuses a display name with a line break, which would end a comment early", () => {
    for (const displayName of ["a\nopenclaw", "a\rb", "a\u2028b", ""]) {
      assert.throws(() => sharedTokenScript({ ...ENDPOINT, displayName }, "run", "posix", "en"));
      assert.throws(() =>
        setupLinkScript(
          { setupCode: new Secret("c"), displayName, service: false },
          "powershell",
          "en",
        ),
      );
    }
  });

  it("refuses an endpoint that was not validated: fingerprint not canonical, port out of range, host like a flag", () => {
    const bad: Partial<SharedTokenInput>[] = [
      { fingerprint: ENDPOINT.fingerprint.toUpperCase() },
      { fingerprint: "85:54" },
      { port: 0 },
      { port: 70000 },
      { host: "--dev" },
      { host: "" },
    ];
    for (const change of bad) {
      assert.throws(() =>
        sharedTokenScript({ ...ENDPOINT, displayName: "n", ...change }, "install", "posix", "en"),
      );
    }
  });

  it("leaves the token out of node.json even when the input carries one", () => {
    const json = legacyNodeJson({
      ...ENDPOINT,
      displayName: "n",
      token: new Secret(TOKEN),
    } as SharedTokenInput);
    assert.ok(!json.includes(TOKEN) && !json.includes("token"));
  });
});

describe("quotePosix", () => {
  it("wraps values in single quotes and writes a single quote as '\\''", () => {
    assert.equal(quotePosix("My Node"), "'My Node'");
    assert.equal(quotePosix(""), "''");
    assert.equal(quotePosix("it's"), "'it'\\''s'");
    assert.equal(quotePosix("$(touch /tmp/pwned) `id` \\ !"), "'$(touch /tmp/pwned) `id` \\ !'");
    assert.equal(quotePosix("-x"), "'-x'");
  });

  it("refuses a NUL, which no shell argument can carry", () => {
    assert.throws(() => quotePosix("a\0b"));
    assert.throws(() => quotePowerShell("a\0b"));
  });

  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is looked for
  const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
  const shellSyntax = fc.constantFrom(
    "'",
    '"',
    "\\",
    "$",
    "`",
    "!",
    "\n",
    "\r",
    " ",
    "-",
    "*",
    "~",
    "a",
    "中",
    "🦀",
  );
  const value = fc
    .oneof(fc.string({ unit: "binary" }), fc.string({ unit: shellSyntax }))
    .filter((s) => !s.includes("\0"));

  it("gives back any string without NUL byte for byte through printf in bash, sh and pasted shells", () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 100, maxLength: 200 }), (values) => {
        for (const runner of RUNNERS) {
          // A pasted shell reads through line editing, where control characters are keys (CR is Enter, Tab
          // completes), as in a real terminal. Display names and tokens never hold one (validate.ts).
          const sample = runner.pasted ? values.filter((v) => !CONTROL.test(v)) : values;
          const script = `${sample.map((v) => `printf '%s\\0' ${quotePosix(v)}`).join("\n")}\n`;
          const expected = argvBytes(sample);
          const result = spawnSync(runner.command, runner.args, {
            input: script,
            env: {
              PATH: "/usr/bin:/bin",
              HOME: root,
              LC_ALL: "C.UTF-8",
              TERM: "dumb",
              HISTFILE: "/dev/null",
            },
            timeout: 20_000,
          });
          assert.ok(
            result.stdout.equals(expected),
            `${runner.name}: ${result.stderr.toString("utf8").slice(0, 500)}`,
          );
        }
      }),
      { numRuns: 4 },
    );
  });
});

// PowerShell's single-quoted string, as its tokenizer reads it (ScanStringLiteral in tokenizer.cs): any of these
// five characters is a quote; a quote followed by a quote stands for the second one; a lone quote ends the string.
const PS_QUOTES = new Set(["'", "\u2018", "\u2019", "\u201a", "\u201b"]);

function readPowerShellString(text: string, start: number): { value: string; end: number } {
  assert.ok(PS_QUOTES.has(text[start] ?? ""), "a single-quoted string starts with a quote");
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (PS_QUOTES.has(c)) {
      const next = text[i + 1];
      if (next !== undefined && PS_QUOTES.has(next)) {
        value += next;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
    i += 1;
  }
  throw new Error("unterminated single-quoted string");
}

/** A PowerShell command line made only of plain words and single-quoted strings, as the arguments it passes. */
function powerShellArguments(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === " ") {
      i += 1;
    } else if (PS_QUOTES.has(line[i] as string)) {
      const { value, end } = readPowerShellString(line, i);
      assert.ok(end === line.length || line[end] === " ", "a quoted argument stands alone");
      args.push(value);
      i = end;
    } else {
      const word = /^[A-Za-z0-9._:/-]+/.exec(line.slice(i))?.[0];
      assert.ok(
        word && (i + word.length === line.length || line[i + word.length] === " "),
        `plain word at ${i}: ${line}`,
      );
      args.push(word);
      i += word.length;
    }
  }
  return args;
}

/** The command a PowerShell script runs once its checks pass: the one line of its last `} else {` block. */
function powerShellCommand(text: string): string {
  const lines = text.split("\n");
  const start = lines.lastIndexOf("} else {");
  assert.ok(start > 0 && lines[start + 2] === "}", text);
  const line = lines[start + 1] ?? "";
  assert.ok(line.startsWith("  openclaw "), text);
  assert.equal(lines.filter((l) => /^\s*openclaw /.test(l)).length, 1, text);
  return line.slice(2);
}

describe("quotePowerShell", () => {
  it("doubles every quote PowerShell reads as a single quote, the Unicode ones included, and nothing else", () => {
    assert.equal(quotePowerShell("My Node"), "'My Node'");
    assert.equal(quotePowerShell(""), "''");
    assert.equal(quotePowerShell("it's"), "'it''s'");
    assert.equal(quotePowerShell('say "hi"'), `'say "hi"'`);
    assert.equal(quotePowerShell("$(touch /tmp/pwned) $HOME"), "'$(touch /tmp/pwned) $HOME'");
    assert.equal(quotePowerShell("`n `$ back\\slash"), "'`n `$ back\\slash'");
    assert.equal(
      quotePowerShell("\u2018a\u2019 \u201ab\u201b"),
      "'\u2018\u2018a\u2019\u2019 \u201a\u201ab\u201b\u201b'",
    );
    assert.equal(quotePowerShell("“double” 中文 🦀"), "'“double” 中文 🦀'");
    assert.equal(quotePowerShell("-x --tls"), "'-x --tls'");
  });

  it("round-trips any string through PowerShell's single-quote rules", () => {
    const quotes = fc.constantFrom(
      "'",
      "\u2018",
      "\u2019",
      "\u201a",
      "\u201b",
      '"',
      "`",
      "$",
      "a",
      " ",
      "中",
      "🦀",
    );
    const value = fc
      .oneof(fc.string({ unit: "binary" }), fc.string({ unit: quotes }))
      .filter((s) => !s.includes("\0"));
    fc.assert(
      fc.property(value, (s) => {
        const quoted = quotePowerShell(s);
        assert.deepEqual(readPowerShellString(quoted, 0), { value: s, end: quoted.length });
      }),
      { numRuns: 2000 },
    );
  });

  it("builds PowerShell commands whose arguments are the exact display name and whose token is set in $env only", () => {
    // The others it does not carry on Windows (test/core/windows-arguments.test.ts): their script runs nothing.
    for (const displayName of HOSTILE_NAMES.filter(carriesOnWindows)) {
      for (const method of ["run", "install"] as const) {
        const { text } = sharedTokenScript(
          { ...ENDPOINT, displayName, token: new Secret(TOKEN) },
          method,
          "powershell",
          "en",
        );
        const lines = text.split("\n");
        const command = powerShellCommand(text);
        assert.deepEqual(powerShellArguments(command), [
          "openclaw",
          ...expectedArgv(method, displayName),
        ]);
        const tokenLine = lines.filter((line) => line.startsWith("$env:OPENCLAW_GATEWAY_TOKEN = "));
        assert.equal(tokenLine.length, 1, text);
        const prefix = "$env:OPENCLAW_GATEWAY_TOKEN = ";
        assert.deepEqual(readPowerShellString(tokenLine[0] as string, prefix.length), {
          value: TOKEN,
          end: (tokenLine[0] as string).length,
        });
        assert.ok(!command.includes("tok-"));
      }
      for (const service of [false, true]) {
        const { text } = setupLinkScript(
          { setupCode: new Secret("abc"), displayName, service },
          "powershell",
          "en",
        );
        // The link is set in a variable of its own line; the command names the variable.
        const codeLine = "$clawshakeSetupSecret = 'oc-pair://abc'";
        assert.ok(text.split("\n").includes(codeLine), text);
        const command = powerShellCommand(text).replace("$clawshakeSetupSecret", "oc-pair://abc");
        const expected = service
          ? ["openclaw", "connect", "oc-pair://abc", "--service", `--display-name=${displayName}`]
          : ["openclaw", "node", "run", "--pair", "oc-pair://abc", `--display-name=${displayName}`];
        assert.deepEqual(powerShellArguments(command), expected);
        assert.ok(!text.includes("OPENCLAW_GATEWAY_TOKEN"));
      }
    }
  });

  // No pwsh on this machine: the checks are read as text, their regular expressions run in JavaScript (the .NET syntax
  // used here, anchors, groups, \\s and {2,}, means the same in both).
  it("checks openclaw, Node and the gateway's version in one if/elseif chain before the command", () => {
    const text = setupLinkScript(
      {
        setupCode: new Secret("abc"),
        displayName: "n",
        service: false,
        gatewayVersion: "2026.9.6",
      },
      "powershell",
      "zh-CN",
    ).text;
    const lines = text.split("\n");
    const chain = lines.slice(lines.findIndex((line) => line.startsWith("if (")));
    assert.equal(chain[0], "if (-not (Get-Command openclaw -ErrorAction SilentlyContinue)) {");
    const install = "npm install -g openclaw@2026.9.6";
    assert.equal(
      chain[1],
      `  Write-Error ${quotePowerShell(t("zh-CN", "commands.check.missing", { install }))}`,
    );
    const nodeRegex = /-match '([^']+)'\)\) \{$/.exec(chain[2] ?? "")?.[1];
    assert.ok(
      chain[2]?.startsWith("} elseif (-not (Get-Command node -ErrorAction SilentlyContinue) -or "),
      chain[2],
    );
    assert.ok(nodeRegex);
    for (const fine of ["v24.16.0", "v24.21.0", "v24.100.1", "v25.0.0", "v100.2.3"])
      assert.match(fine, new RegExp(nodeRegex), fine);
    for (const old of ["v24.15.1", "v24.1.0", "v22.12.0", "v20.19.5", "v4.16.0", ""])
      assert.doesNotMatch(old, new RegExp(nodeRegex), old);
    assert.equal(
      chain[3],
      `  Write-Error ${quotePowerShell(t("zh-CN", "commands.check.node", { node: "24.16" }))}`,
    );
    const versionRegex = /^\} elseif \(-not \(\(openclaw --version\) -match '([^']+)'\)\) \{$/.exec(
      chain[4] ?? "",
    )?.[1];
    assert.ok(versionRegex, chain[4]);
    assert.match("OpenClaw 2026.9.6 (eb377ac)", new RegExp(versionRegex));
    for (const other of [
      "OpenClaw 2026.9.60 (x)",
      "OpenClaw 2026.9.5 (x)",
      "OpenClaw 2026x9x6 (x)",
      "",
    ])
      assert.doesNotMatch(other, new RegExp(versionRegex), other);
    assert.equal(
      chain[5],
      `  Write-Error ${quotePowerShell(t("zh-CN", "commands.check.version", { version: "2026.9.6", install }))}`,
    );
    assert.deepEqual(chain.slice(6), [
      "} else {",
      "  openclaw node run --pair $clawshakeSetupSecret '--display-name=n'",
      "}",
      "",
    ]);
    // Unknown version: presence and Node only.
    const unknown = setupLinkScript(
      { setupCode: new Secret("abc"), displayName: "n", service: true },
      "powershell",
      "en",
    ).text;
    assert.ok(!unknown.includes("openclaw --version"), unknown);
    assert.ok(
      unknown.includes(
        quotePowerShell(t("en", "commands.check.missing", { install: "npm install -g openclaw" })),
      ),
    );
  });

  it("writes node.json for method C from a here-string holding exactly legacyNodeJson", () => {
    for (const displayName of HOSTILE_NAMES) {
      const input = { ...ENDPOINT, displayName };
      const { text } = sharedTokenScript(
        { ...input, token: new Secret(TOKEN) },
        "legacy-config",
        "powershell",
        "en",
      );
      const body = /\n\$nodeJson = @'\n([\s\S]*?)\n'@\n/.exec(text)?.[1];
      assert.equal(body, legacyNodeJson(input));
      assert.ok(
        text.includes(
          "[System.IO.File]::WriteAllText((Join-Path $HOME '.openclaw/node.json'), $nodeJson)\n",
        ),
      );
      assert.ok(text.endsWith("\n} else {\n  openclaw node run\n}\n"));
    }
  });

  it("guards a placeholder token with elseif and else joined on one line, so a paste cannot run the node", () => {
    const { text } = sharedTokenScript(
      { ...ENDPOINT, displayName: "n" },
      "run",
      "powershell",
      "en",
    );
    const lines = text.split("\n");
    const start = lines.findIndex((line) => line.includes("$env:OPENCLAW_GATEWAY_TOKEN -eq"));
    assert.equal(
      lines[start],
      `} elseif (-not $env:OPENCLAW_GATEWAY_TOKEN -or $env:OPENCLAW_GATEWAY_TOKEN -eq ${quotePowerShell(TOKEN_PLACEHOLDER)}) {`,
    );
    assert.equal(
      lines[start + 1],
      `  Write-Error ${quotePowerShell(t("en", "commands.token.guard"))}`,
    );
    assert.equal(lines[start + 2], "} else {");
    assert.match(lines[start + 3] ?? "", /^ {2}openclaw node run /);
    assert.equal(lines[start + 4], "}");
  });
});
