import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { t } from "../../src/core/i18n/index.ts";
import {
  type Checked,
  checkCredentials,
  checkDisplayName,
  checkFingerprint,
  checkHost,
  checkPort,
  checkToken,
  displayNameKey,
} from "../../src/core/validate.ts";

const FP = "85544cd42bcfa0b15e50c3f0f6f0b274d89f4ed292119918494290fad3582ea7";
const colons = (hex: string) => hex.toUpperCase().match(/../g)?.join(":") ?? "";

function problem(result: {
  ok: boolean;
  problem?: { key: string; params?: Record<string, string> };
}): string {
  assert.equal(result.ok, false);
  const p = result.problem as { key: Parameters<typeof t>[1]; params?: Record<string, string> };
  return t("en", p.key, p.params ?? {});
}

describe("host", () => {
  it("accepts host names, IPv4 and IPv6 addresses, lower-cased", () => {
    assert.deepEqual(checkHost("Gateway.Example.COM"), { ok: true, value: "gateway.example.com" });
    assert.deepEqual(checkHost(" 203.0.113.50 "), { ok: true, value: "203.0.113.50" });
    assert.deepEqual(checkHost("[2001:DB8::1]"), { ok: true, value: "2001:db8::1" });
    assert.deepEqual(checkHost("fe80::1"), { ok: true, value: "fe80::1" });
    assert.deepEqual(checkHost("gw-1.internal."), { ok: true, value: "gw-1.internal" });
  });

  it("says what to remove when a scheme, a path or a port is pasted with the host", () => {
    assert.match(problem(checkHost("https://gw.example.com")), /Leave out “https:\/\/”/);
    assert.match(problem(checkHost("wss://gw.example.com:18789")), /Leave out “wss:\/\/”/);
    assert.match(problem(checkHost("gw.example.com/settings")), /without a path: “gw.example.com”/);
    assert.match(problem(checkHost("gw.example.com:18789")), /host “gw.example.com”, port 18789/);
  });

  it("refuses bad names with the characters or the part that is wrong", () => {
    assert.match(problem(checkHost("gw_1.example.com")), /remove “_”/);
    assert.match(problem(checkHost("-gw.example.com")), /not a valid host name/);
    assert.match(problem(checkHost("300.1.1.1")), /not a valid IPv4/);
    assert.match(problem(checkHost("")), /Enter the gateway's host/);
    assert.match(problem(checkHost(`${"a".repeat(64)}.com`)), /not a valid host name/);
  });
});

describe("port", () => {
  it("defaults to 18789 and accepts 1–65535", () => {
    assert.deepEqual(checkPort(""), { ok: true, value: 18789 });
    assert.deepEqual(checkPort("443"), { ok: true, value: 443 });
    assert.deepEqual(checkPort("65535"), { ok: true, value: 65535 });
  });

  it("refuses what is not a port, saying the range", () => {
    assert.match(problem(checkPort("0")), /out of range/);
    assert.match(problem(checkPort("65536")), /out of range/);
    assert.match(problem(checkPort("18789/tcp")), /not a port/);
    assert.match(problem(checkPort("-1")), /not a port/);
  });
});

describe("fingerprint", () => {
  it("accepts what people paste and gives 64 lowercase hex digits", () => {
    for (const pasted of [
      FP,
      FP.toUpperCase(),
      colons(FP),
      `SHA256 Fingerprint=${colons(FP)}`,
      `sha256 Fingerprint=${colons(FP)}`,
      `sha256:${FP}`,
      `SHA-256:${colons(FP)}`,
      colons(FP).replace(/:/g, " "),
      `  ${FP}\n`,
    ])
      assert.deepEqual(checkFingerprint(pasted), { ok: true, value: FP }, pasted);
  });

  it("says how long it is when digits are missing", () => {
    assert.match(problem(checkFingerprint(FP.slice(0, 40))), /has 64 hex digits; this one has 40/);
  });

  it("names the characters that are not hex", () => {
    assert.match(problem(checkFingerprint(`${FP.slice(0, 62)}zz`)), /remove “z”/);
  });

  it("is idempotent: normalising a normalised fingerprint changes nothing", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom("plain", "colons", "openssl", "prefix"),
        (bytes, style) => {
          const hex = Buffer.from(bytes).toString("hex");
          const pasted =
            style === "plain"
              ? hex
              : style === "colons"
                ? colons(hex)
                : style === "openssl"
                  ? `SHA256 Fingerprint=${colons(hex)}`
                  : `sha256:${hex}`;
          const once = checkFingerprint(pasted);
          assert.ok(once.ok);
          assert.deepEqual(checkFingerprint(once.value), once);
        },
      ),
    );
  });
});

describe("token", () => {
  it("accepts a token and trims what the copy added around it", () => {
    assert.deepEqual(checkToken("  abc123\n"), { ok: true, value: "abc123" });
  });

  it("refuses an empty token, spaces or control characters inside, and an over-long one", () => {
    assert.match(problem(checkToken("   ")), /Enter the gateway token/);
    assert.match(problem(checkToken("abc def")), /no spaces/);
    assert.match(problem(checkToken("abc\u0007def")), /U\+0007, an invisible or control character/);
    assert.match(problem(checkToken("x".repeat(513))), /at most 512/);
  });

  it("never repeats the token in its message", () => {
    const secret = "s3cr3t value";
    const result = checkToken(secret);
    assert.ok(!JSON.stringify(result).includes("s3cr3t"));
  });
});

describe("display name", () => {
  it("accepts 1–64 printable characters, including quotes, emoji and Chinese", () => {
    for (const name of [
      "My Node",
      "it's ‘quoted’ $(x) `y` C:\\dir",
      "节点一号",
      "🦀 build",
      "a".repeat(64),
    ])
      assert.deepEqual(checkDisplayName(name), { ok: true, value: name });
  });

  it("refuses empty, multi-line, control characters and more than 64 characters", () => {
    assert.match(problem(checkDisplayName(" ")), /display name/);
    assert.match(problem(checkDisplayName("a\nb")), /U\+000A, an invisible or control character/);
    assert.match(problem(checkDisplayName("a\u2028b")), /one line/);
    assert.match(problem(checkDisplayName("a\u0000b")), /U\+0000/);
    assert.match(problem(checkDisplayName("a".repeat(65))), /at most 64/);
  });
});

/** Invisible characters that make look-alike names and tokens: direction overrides and isolates, zero-width, soft hyphen. */
const INVISIBLE = [
  "\u202e",
  "\u202a",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u200b",
  "\u200e",
  "\u00ad",
  "\u061c",
  "\u2060",
  "\ufeff",
  "\u0007",
  "\u001b",
  "\u0085",
];
const codePoint = (c: string) =>
  `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0")}`;
/** Any character of Unicode category Cc (control) or Cf (format), from the whole range. */
const controlOrFormat = fc
  .integer({ min: 0, max: 0xe007f })
  .map((n) => String.fromCodePoint(n))
  .filter((c) => /\p{Cc}|\p{Cf}/u.test(c));
const plainName = fc
  .string({ unit: fc.constantFrom(..."abcXYZ019-_. 节点é"), minLength: 2, maxLength: 30 })
  .filter((n) => n.trim() === n && n !== "");

describe("invisible and control characters", () => {
  for (const c of INVISIBLE)
    it(`refuses ${codePoint(c)} in a display name, a token, a host and a fingerprint, naming it`, () => {
      // Surrounding whitespace (U+FEFF is whitespace to JavaScript) is dropped, not refused.
      const cases: [Checked<unknown>, string][] = [
        [checkDisplayName(`build-1${c}x`), "display name"],
        [checkToken(`abc${c}def`), "token"],
        [checkHost(`gw${c}.example.com`), "host"],
        [checkFingerprint(`${FP.slice(0, 10)}${c}${FP.slice(10)}`), "fingerprint"],
      ];
      if (c.trim() !== "") cases.push([checkDisplayName(`${c}build-1`), "display name"]);
      for (const [result, field] of cases) {
        assert.equal(result.ok, false, field);
        assert.ok(problem(result).includes(codePoint(c)), `${field}: ${problem(result)}`);
        if (!result.ok) {
          const zh = t("zh-CN", result.problem.key, result.problem.params ?? {});
          assert.ok(zh.includes(codePoint(c)), zh);
          assert.notEqual(zh, problem(result));
        }
      }
    });

  it("refuses any display name with a control or format character inside, naming the first one", () => {
    fc.assert(
      fc.property(plainName, controlOrFormat, fc.nat(), (name, c, at) => {
        const i = 1 + (at % (name.length - 1));
        const result = checkDisplayName(`${name.slice(0, i)}${c}${name.slice(i)}`);
        assert.ok(problem(result).includes(codePoint(c)));
      }),
    );
  });

  it("refuses any token with a control or format character inside", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{12,40}$/),
        controlOrFormat,
        fc.nat(),
        (token, c, at) => {
          const i = 1 + (at % (token.length - 1));
          const result = checkToken(`${token.slice(0, i)}${c}${token.slice(i)}`);
          assert.equal(result.ok, false);
          assert.ok(!JSON.stringify(result).includes(token), "never repeats the token");
        },
      ),
    );
  });

  it("keeps the joiner inside an emoji sequence, which is no look-alike", () => {
    const name = "🧑\u200d💻 build";
    assert.deepEqual(checkDisplayName(name), { ok: true, value: name });
    assert.match(problem(checkDisplayName("build\u200d-1")), /U\+200D/);
  });
});

describe("display names that look alike", () => {
  it("are stored in NFC, whatever form they were typed in", () => {
    assert.deepEqual(checkDisplayName("Cafe\u0301"), { ok: true, value: "Caf\u00e9" });
  });

  it("compare equal when they are equal after NFKC and case folding", () => {
    const same = [
      ["build-1", "BUILD-1"],
      ["build-1", "ｂｕｉｌｄ－１"],
      ["Café", "CAFE\u0301"],
      ["straße", "STRASSE"],
      ["ﬁle", "FILE"],
      ["Ⅻ", "xii"],
    ];
    for (const [a, b] of same)
      assert.equal(displayNameKey(a as string), displayNameKey(b as string), `${a} ~ ${b}`);
    assert.notEqual(displayNameKey("build-1"), displayNameKey("build-2"));
  });

  it("compare equal for any name and its upper case, lower case, NFD and NFKD forms", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 20 }), (name) => {
        const key = displayNameKey(name);
        for (const variant of [
          name.toUpperCase(),
          name.toLowerCase(),
          name.normalize("NFD"),
          name.normalize("NFKD"),
          name.normalize("NFKC").toUpperCase(),
        ])
          assert.equal(displayNameKey(variant), key, JSON.stringify([name, variant]));
      }),
    );
  });
});

describe("all credentials at once", () => {
  it("reports every problem, not just the first", () => {
    const result = checkCredentials({ host: "https://x", port: "0", fingerprint: "12", token: "" });
    assert.ok("problems" in result);
    assert.deepEqual(
      result.problems.map((p) => p.field),
      ["host", "port", "fingerprint", "token"],
    );
  });

  it("gives the endpoint in canonical form", () => {
    assert.deepEqual(
      checkCredentials({ host: "GW.example.com", port: "", fingerprint: colons(FP), token: "t0k" }),
      {
        endpoint: { host: "gw.example.com", port: 18789, fingerprint: FP },
        token: "t0k",
      },
    );
  });

  it("has a message in both languages for every problem", () => {
    const result = checkCredentials({ host: "", port: "x", fingerprint: "", token: "" });
    assert.ok("problems" in result);
    for (const p of result.problems) {
      assert.notEqual(t("en", p.key, p.params ?? {}), t("zh-CN", p.key, p.params ?? {}));
    }
  });
});
