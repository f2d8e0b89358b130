/**
 * QEMU's JSON lexer and parser as QMP clients meet them: what each input
 * got back from real QEMU 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3), one
 * fresh QMP connection per case, after qmp_capabilities. Recorded on
 * 2026-11-30 with test/support/qmp-json-probe.ts; test/node/qmp-json-real.test.ts
 * replays the table against the qemu-system-x86_64 on PATH to confirm it.
 */

export type CaseInput = string | { hex: string } | { parts: [string, number][] };
export type Expected = string | { line: string; times: number };

export interface JsonCase {
  name: string;
  input: CaseInput;
  /** Every line QEMU 7.2 sent back, in order (\r\n stripped). */
  qemu72: Expected[];
}

export function inputBytes(input: CaseInput): Uint8Array {
  if (typeof input === 'string') return new TextEncoder().encode(input);
  if ('hex' in input) return Uint8Array.from(input.hex.match(/../g) ?? [], (h) => parseInt(h, 16));
  return new TextEncoder().encode(input.parts.map(([s, n]) => s.repeat(n)).join(''));
}

export function expectedLines(expected: readonly Expected[]): string[] {
  return expected.flatMap((e) => (typeof e === 'string' ? [e] : new Array<string>(e.times).fill(e.line)));
}

export const JSON_CASES: JsonCase[] = [
  {
    name: "invalid escape",
    input: "\"\\x\"\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid escape sequence in string\"}}"],
  },
  {
    name: "trailing comma in object",
    input: "{\"execute\":\"query-version\",}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}"],
  },
  {
    name: "infinite number as an argument",
    input: "{\"execute\":\"query-version\",\"arguments\":{\"a\":1e999}}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'a' is unexpected\"}}"],
  },
  {
    name: "infinite id echoed",
    input: "{\"execute\":\"query-version\",\"id\":1e999}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": inf}"],
  },
  {
    name: "fraction id echoed",
    input: "{\"execute\":\"query-version\",\"id\":0.1}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": 0.10000000000000001}"],
  },
  {
    name: "uint64 id",
    input: "{\"execute\":\"query-version\",\"id\":12345678901234567890}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": 12345678901234567890}"],
  },
  {
    name: "huge integer id",
    input: "{\"execute\":\"query-version\",\"id\":123456789012345678901234}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": 1.2345678901234569e+23}"],
  },
  {
    name: "negative zero id",
    input: "{\"execute\":\"query-version\",\"id\":-0.0}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": -0}"],
  },
  {
    name: "int id",
    input: "{\"execute\":\"query-version\",\"id\":-42}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": -42}"],
  },
  {
    name: "escaped characters echoed",
    input: "{\"execute\":\"query-version\",\"id\":\"\\u00e9\\ud83d\\ude00\\u007f\\u0001\\/\\b\\f\\n\\r\\t\\\"\\\\'\"}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": \"\\u00E9\\uD83D\\uDE00\\u007F\\u0001/\\b\\f\\n\\r\\t\\\"\\\\'\"}"],
  },
  {
    name: "lone surrogate",
    input: "{\"execute\":\"query-version\",\"id\":\"\\ud800\"}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, \\\\ud800 is not a valid Unicode character\"}}"],
  },
  {
    name: "short unicode escape",
    input: "{\"execute\":\"query-version\",\"id\":\"\\u12\"}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, \\\\u12\\\" is not a valid Unicode character\"}}"],
  },
  {
    name: "noncharacter escape",
    input: "{\"execute\":\"query-version\",\"id\":\"\\ufffe\"}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, \\\\ufffe is not a valid Unicode character\"}}"],
  },
  {
    name: "raw UTF-8 echoed",
    input: "{\"execute\":\"query-version\",\"id\":\"\u00e9\u20ac\ud83d\ude00\"}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": \"\\u00E9\\u20AC\\uD83D\\uDE00\"}"],
  },
  {
    name: "invalid UTF-8 in a string",
    input: { hex: "7b2265786563757465223a2271756572792d76657273696f6e222c226964223a22c328227d0a" },
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid UTF-8 sequence in string\"}}"],
  },
  {
    name: "overlong UTF-8 in a string",
    input: { hex: "7b2265786563757465223a2271756572792d76657273696f6e222c226964223a22c0af227d0a" },
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid UTF-8 sequence in string\"}}"],
  },
  {
    name: "modified UTF-8 NUL in a string",
    input: { hex: "7b2265786563757465223a2271756572792d76657273696f6e222c226964223a2261c08062227d0a" },
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": \"a\\u0000b\"}"],
  },
  {
    name: "byte 0xff outside a string",
    input: { hex: "ff7b2265786563757465223a2271756572792d76657273696f6e227d0a" },
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}",
      "{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}}"],
  },
  {
    name: "byte 0xfe inside a string",
    input: { hex: "7b2265786563757465223a2271756572792d76657273696f6e222c226964223a2261fe62227d0a" },
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\\"a\\uFFFD'\"}}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}"],
  },
  {
    name: "missing colon",
    input: "{\"a\" 1}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, missing : in object pair\"}}"],
  },
  {
    name: "missing comma in object",
    input: "{\"a\":1 \"b\":2}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expected separator in dict\"}}"],
  },
  {
    name: "missing comma in list",
    input: "[1 2]\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expected separator in list\"}}"],
  },
  {
    name: "trailing comma in list",
    input: "[1,]\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}"],
  },
  {
    name: "unknown keyword",
    input: "truex\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid keyword 'truex'\"}}"],
  },
  {
    name: "capital keyword",
    input: "True\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray 'T'\"}}"],
  },
  {
    name: "leading zero",
    input: "01\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '01'\"}}"],
  },
  {
    name: "duplicate key",
    input: "{\"execute\":\"query-version\",\"execute\":\"quit\"}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, duplicate key\"}}"],
  },
  {
    name: "number as key",
    input: "{1:2}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, key is not a string in object\"}}"],
  },
  {
    name: "object as key",
    input: "{{}:1}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, key is not a string in object\"}}"],
  },
  {
    name: "closing bracket alone",
    input: "]\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}"],
  },
  {
    name: "closing brace alone",
    input: "}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}"],
  },
  {
    name: "number as request",
    input: "1\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}"],
  },
  {
    name: "string as request",
    input: "\"abc\"\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}"],
  },
  {
    name: "empty list as request",
    input: "[]\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}"],
  },
  {
    name: "single-quoted request",
    input: "{'execute':'query-version','id':'it''s'}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expected separator in dict\"}}"],
  },
  {
    name: "single-quoted with escaped apostrophe",
    input: "{'execute':'query-version','id':'it\\'s \"q\"'}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": \"it's \\\"q\\\"\"}"],
  },
  {
    name: "lone minus",
    input: "-\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '-\\n'\"}}"],
  },
  {
    name: "number ending in a dot",
    input: "1.\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '1.\\n'\"}}"],
  },
  {
    name: "exponent without digits",
    input: "1e\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '1e\\n'\"}}"],
  },
  {
    name: "exponent sign without digits",
    input: "1e+\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '1e+\\n'\"}}"],
  },
  {
    name: "truncated keyword",
    input: "nul\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid keyword 'nul'\"}}"],
  },
  {
    name: "null id",
    input: "{\"execute\":\"query-version\",\"id\":null}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": null}"],
  },
  {
    name: "control character in a string",
    input: { hex: "7b2265786563757465223a2271756572792d76657273696f6e222c226964223a22610162227d0a" },
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\\"a\\u0001'\"}}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}"],
  },
  {
    name: "raw tab in a string",
    input: { hex: "7b2265786563757465223a2271756572792d76657273696f6e222c226964223a22610962227d0a" },
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\\"a\\t'\"}}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}"],
  },
  {
    name: "NUL byte",
    input: { hex: "000a" },
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray ''\"}}"],
  },
  {
    name: "vertical tab",
    input: { hex: "0b7b2265786563757465223a2271756572792d76657273696f6e227d0a" },
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\u000B'\"}}",
      "{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}}"],
  },
  {
    name: "nested id echoed",
    input: "{\"execute\":\"query-version\",\"id\":[1,2.5,{\"x\":true,\"y\":null}]}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": [1, 2.5, {\"x\": true, \"y\": null}]}"],
  },
  {
    name: "object id order",
    input: "{\"execute\":\"query-version\",\"id\":{\"b\":1,\"a\":2,\"c\":3}}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": {\"a\": 2, \"b\": 1, \"c\": 3}}"],
  },
  {
    name: "number followed by a letter",
    input: "1x\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid keyword 'x'\"}}"],
  },
  {
    name: "two requests on one line",
    input: "{\"execute\":\"query-version\",\"id\":1}{\"execute\":\"query-version\",\"id\":2}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": 1}",
      "{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": 2}"],
  },
  {
    name: "percent sign",
    input: "%d\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '%'\"}}"],
  },
  {
    name: "recovery skips to a structural character",
    input: "xyz abc {\"execute\":\"query-version\",\"id\":7}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid keyword 'xyz'\"}}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid keyword 'abc'\"}}",
      "{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": 7}"],
  },
  {
    name: "stray text then a brace inside",
    input: "@@@ {\"execute\":\"query-version\",\"id\":8}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '@'\"}}",
      "{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": 8}"],
  },
  {
    name: "error discards a partial request",
    input: "{\"execute\":\"query-version\", @ \"id\":9}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '@'\"}}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}",
      "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}"],
  },
  {
    name: "nesting limit",
    input: { parts: [["[", 100000], ["\n", 1]] },
    qemu72: [{ line: "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON nesting depth limit exceeded\"}}", times: 97 }],
  },
  {
    name: "nesting just under the limit",
    input: { parts: [["[", 1024], ["]", 1024], ["\n", 1]] },
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}"],
  },
  {
    name: "nesting just over the limit",
    input: { parts: [["[", 1025], ["]", 1025], ["\n", 1]] },
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON nesting depth limit exceeded\"}}",
      { line: "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}", times: 1025 }],
  },
  {
    name: "execute not a string",
    input: "{\"execute\":1}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'execute' must be a string\"}}"],
  },
  {
    name: "arguments not an object",
    input: "{\"execute\":\"query-version\",\"arguments\":[]}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'arguments' must be an object\"}}"],
  },
  {
    name: "unexpected member",
    input: "{\"execute\":\"query-version\",\"foo\":1}\n",
    qemu72: ["{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'foo' is unexpected\"}}"],
  },
  {
    name: "unicode escape in a key",
    input: "{\"\\u0065xecute\":\"query-version\",\"id\":\"k\"}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": \"k\"}"],
  },
  {
    name: "nul escape in a string",
    input: "{\"execute\":\"query-version\",\"id\":\"a\\u0000b\"}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": \"a\\u0000b\"}"],
  },
  {
    name: "float exponent forms",
    input: "{\"execute\":\"query-version\",\"id\":[1E2,1e-7,-1.5e+300,0.0,1e17,123456789.125]}\n",
    qemu72: ["{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"id\": [100, 9.9999999999999995e-08, -1.5000000000000001e+300, 0, 1e+17, 123456789.125]}"],
  },
];
