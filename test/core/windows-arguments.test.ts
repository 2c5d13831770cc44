// Whether a display name reaches openclaw byte for byte from the PowerShell script on Windows, where arguments to a
// program travel as one command line: a model of the documented rules, run on tables of names and on any name.
//
// - Windows PowerShell 5.1 (and PowerShell 7 for .cmd/.bat files) builds that line with "legacy" argument passing:
//   an argument with whitespace outside quotes is wrapped in "…", and nothing inside it is escaped.
// - `openclaw` is an npm shim: openclaw.ps1 calls node.exe with `$args` (the same legacy passing), openclaw.cmd runs
//   in cmd.exe, which expands %VAR% (and !VAR! with delayed expansion) everywhere and reads & | < > ^ outside quotes,
//   before passing the text on to node.exe with `%*`.
// - node.exe splits its command line with the Microsoft C runtime's rules (as CommandLineToArgvW does): whitespace
//   outside quotes separates, "…" groups, 2n backslashes before a quote are n backslashes and the quote toggles,
//   2n+1 backslashes before a quote are n backslashes and a literal quote, other backslashes are literal.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { setupLinkScript, sharedTokenScript } from "../../src/core/commands.ts";
import { t } from "../../src/core/i18n/index.ts";
import { Secret } from "../../src/core/secret.ts";
import { checkDisplayName } from "../../src/core/validate.ts";

/** PowerShell 5.1's legacy native argument passing. */
function legacyCommandLine(args: string[]): string {
  return args.map((arg) => (needsQuotes(arg) ? `"${arg}"` : arg)).join(" ");
}

function needsQuotes(arg: string): boolean {
  let quoted = false;
  for (const c of arg) {
    if (c === '"') quoted = !quoted;
    else if (/\s/.test(c) && !quoted) return true;
  }
  return false;
}

/** The Microsoft C runtime's split of a command line into argv (node.exe's). */
function parseCommandLine(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === " " || line[i] === "\t") i += 1;
    if (i >= line.length) break;
    let arg = "";
    let quoted = false;
    while (i < line.length && (quoted || (line[i] !== " " && line[i] !== "\t"))) {
      const c = line[i] as string;
      if (c === "\\") {
        let n = 0;
        while (line[i] === "\\") {
          n += 1;
          i += 1;
        }
        if (line[i] !== '"') arg += "\\".repeat(n);
        else {
          arg += "\\".repeat(Math.floor(n / 2));
          if (n % 2 === 1) {
            arg += '"';
            i += 1;
          }
        }
      } else if (c === '"') {
        if (quoted && line[i + 1] === '"') {
          arg += '"';
          i += 2;
        } else {
          quoted = !quoted;
          i += 1;
        }
      } else {
        arg += c;
        i += 1;
      }
    }
    args.push(arg);
  }
  return args;
}

/** What cmd.exe would act on in a command line instead of passing it on: operators outside quotes, expansions. */
function cmdActions(line: string): string[] {
  const found: string[] = [];
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && "&|<>^".includes(c)) found.push(c);
    else if ("%!".includes(c)) found.push(c);
  }
  return found;
}

/** The argv node.exe gets for `openclaw <args>` typed in PowerShell, through each shim. */
function throughShims(args: string[]): { ps1: string[]; cmd: string[]; cmdActs: string[] } {
  const line = legacyCommandLine(args);
  return { ps1: parseCommandLine(line), cmd: parseCommandLine(line), cmdActs: cmdActions(line) };
}

function arrives(name: string): boolean {
  const arg = `--display-name=${name}`;
  const { ps1, cmd, cmdActs } = throughShims(["--pair", "oc-pair://abc", arg]);
  const expected = ["--pair", "oc-pair://abc", arg];
  return (
    JSON.stringify(ps1) === JSON.stringify(expected) &&
    JSON.stringify(cmd) === JSON.stringify(expected) &&
    cmdActs.length === 0
  );
}

describe("the model of Windows argument passing", () => {
  it("follows the documented examples of the C runtime's rules", () => {
    const table: [string, string[]][] = [
      ['"abc" d e', ["abc", "d", "e"]],
      ['a\\\\\\b d"e f"g h', ["a\\\\\\b", "de fg", "h"]],
      ['a\\\\\\"b c d', ['a\\"b', "c", "d"]],
      ['a\\\\\\\\"b c" d e', ["a\\\\b c", "d", "e"]],
      ['a"b"" c d', ['ab" c d']],
    ];
    for (const [line, argv] of table) assert.deepEqual(parseCommandLine(line), argv, line);
  });

  it("wraps an argument with a space in quotes and escapes nothing, as PowerShell 5.1 does", () => {
    assert.equal(legacyCommandLine(["a b", "c", 'say "hi"']), '"a b" c "say "hi""');
  });
});

describe("display names on Windows", () => {
  const carried = [
    "build-1",
    "My Node",
    "节点 一号",
    "it's ‘quoted’ $(x) `y`",
    "C:\\dir\\sub dir",
    "a\\b",
    "(test) node",
    "build(1)",
    "50 percent",
    "🧑‍💻 build",
    "tab-free  double  spaces",
    "“curly” quotes",
  ];
  for (const name of carried)
    it(`carries ${JSON.stringify(name)} byte for byte through openclaw.ps1 and openclaw.cmd`, () => {
      assert.deepEqual(checkDisplayName(name), { ok: true, value: name });
      assert.ok(arrives(name));
    });

  const refused: [string, string, RegExp][] = [
    ['say "hi" now', "split in two at the inner quote", /cannot contain "/],
    ['a"b', "loses its quote", /cannot contain "/],
    ["x&calc", "runs calc", /cannot contain &/],
    ["a|more", "pipes into more", /cannot contain \|/],
    ["a>out", "writes a file named out", /cannot contain >/],
    ["a<in", "reads a file named in", /cannot contain </],
    ["a^b", "loses the caret", /cannot contain \^/],
    ["50%PATH%", "gets the PATH in its name", /cannot contain %/],
    ["wow!", "loses it with delayed expansion", /cannot contain !/],
    ["my node\\", "swallows the closing quote", /cannot end with “\\”/],
  ];
  for (const [name, harm, message] of refused)
    it(`refuses ${JSON.stringify(name)}, which on Windows ${harm}`, () => {
      assert.equal(arrives(name), false, "the model shows the harm");
      const checked = checkDisplayName(name);
      assert.equal(checked.ok, false);
      if (!checked.ok)
        assert.match(t("en", checked.problem.key, checked.problem.params ?? {}), message);
    });

  it("carries every name the bot accepts, whatever it is made of", () => {
    const unit = fc.oneof(
      fc.constantFrom(..." \"\\&|<>^%!()'`$;,=@#~[]{}*?./-_".split("")),
      fc.constantFrom("a", "Z", "9", "中", "é", "🦀", "\u00a0", "\u3000"),
    );
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 20 }), (raw) => {
        const checked = checkDisplayName(raw);
        if (checked.ok) assert.ok(arrives(checked.value), JSON.stringify(checked.value));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("the PowerShell script for a name it cannot carry", () => {
  // A session stored before these names were refused still gets a PowerShell script: one that runs nothing.
  it("holds no command, only a comment that says to use the bash command", () => {
    for (const displayName of ['say "hi"', "x&calc", "end\\"]) {
      const scripts = [
        setupLinkScript(
          { setupCode: new Secret("abc"), displayName, service: false },
          "powershell",
          "en",
        ),
        setupLinkScript(
          { setupCode: new Secret("abc"), displayName, service: true },
          "powershell",
          "en",
        ),
        sharedTokenScript(
          {
            host: "gw.example.com",
            port: 18789,
            fingerprint: "ab".repeat(32),
            displayName,
            token: new Secret("tok"),
          },
          "run",
          "powershell",
          "zh-CN",
        ),
      ];
      for (const { text } of scripts) {
        assert.ok(
          text.split("\n").every((line) => line === "" || line.startsWith("# ")),
          text,
        );
        assert.ok(!text.includes("abc") && !text.includes("tok"), "and no secret");
      }
    }
  });
});
