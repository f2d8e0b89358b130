/**
 * QEMU's JSON lexer (qobject/json-lexer.c) as a byte-at-a-time state
 * machine: the same states, the same one-byte lookahead, the same error
 * recovery (after a lexical error, skip to a structural character, a
 * control character or an impossible byte 0xFE/0xFF). Linear in the input:
 * each byte costs one table look-up, and a token's bytes are kept in one
 * growable buffer, never in repeatedly concatenated strings.
 */

export enum Tok {
  Error = 0,
  LCurly,
  RCurly,
  LSquare,
  RSquare,
  Colon,
  Comma,
  Integer,
  Float,
  Keyword,
  String,
  /** A token that outgrew the lexer's size limit (QEMU hands it on as it is). */
  Oversized,
}

const enum S {
  Recovery = 1,
  DqEscape,
  Dq,
  SqEscape,
  Sq,
  Zero,
  ExpDigits,
  ExpSign,
  ExpE,
  Mantissa,
  MantissaDigits,
  Digits,
  Sign,
  Keyword,
  Start,
  Count,
}

/** Entries below FIRST_TOKEN are lexer states; from it on, finished tokens. */
const FIRST_TOKEN = 0x40;
/** The byte is not part of the finished token and is looked at again. */
const LOOKAHEAD = 0x80;
const ERROR = FIRST_TOKEN + Tok.Error;

/** A single token may not grow past this (QEMU's MAX_TOKEN_SIZE, 64 MiB). */
export const MAX_TOKEN_SIZE = 64 * 1024 * 1024;

const TABLE = buildTable();

function buildTable(): Uint8Array {
  const t = new Uint8Array(S.Count * 256).fill(ERROR);
  const set = (state: S, from: number, to: number, next: number) => {
    for (let b = from; b <= to; b++) t[state * 256 + b] = next;
  };
  const ch = (c: string) => c.charCodeAt(0);
  const one = (state: S, c: string, next: number) => set(state, ch(c), ch(c), next);
  const token = (k: Tok) => FIRST_TOKEN + k;
  const digits = (state: S, next: number) => set(state, ch('0'), ch('9'), next);

  // After an error: skip until a byte worth starting over at.
  set(S.Recovery, 0x00, 0x1f, S.Start | LOOKAHEAD);
  set(S.Recovery, 0x20, 0xfd, S.Recovery);
  set(S.Recovery, 0xfe, 0xff, S.Start | LOOKAHEAD);
  one(S.Recovery, '\t', S.Recovery);
  for (const c of '[]{}:,') one(S.Recovery, c, S.Start | LOOKAHEAD);

  // Strings: any byte from 0x20 to 0xFD; escapes and UTF-8 are checked by the parser.
  for (const [body, escape, quote] of [
    [S.Dq, S.DqEscape, '"'],
    [S.Sq, S.SqEscape, "'"],
  ] as const) {
    set(escape, 0x20, 0xfd, body);
    set(body, 0x20, 0xfd, body);
    one(body, '\\', escape);
    one(body, quote, token(Tok.String));
  }

  // Numbers.
  set(S.Zero, 0, 255, token(Tok.Integer) | LOOKAHEAD);
  digits(S.Zero, ERROR);
  one(S.Zero, '.', S.Mantissa);
  set(S.ExpDigits, 0, 255, token(Tok.Float) | LOOKAHEAD);
  digits(S.ExpDigits, S.ExpDigits);
  digits(S.ExpSign, S.ExpDigits);
  one(S.ExpE, '-', S.ExpSign);
  one(S.ExpE, '+', S.ExpSign);
  digits(S.ExpE, S.ExpDigits);
  set(S.MantissaDigits, 0, 255, token(Tok.Float) | LOOKAHEAD);
  digits(S.MantissaDigits, S.MantissaDigits);
  one(S.MantissaDigits, 'e', S.ExpE);
  one(S.MantissaDigits, 'E', S.ExpE);
  digits(S.Mantissa, S.MantissaDigits);
  set(S.Digits, 0, 255, token(Tok.Integer) | LOOKAHEAD);
  digits(S.Digits, S.Digits);
  one(S.Digits, 'e', S.ExpE);
  one(S.Digits, 'E', S.ExpE);
  one(S.Digits, '.', S.Mantissa);
  one(S.Sign, '0', S.Zero);
  set(S.Sign, ch('1'), ch('9'), S.Digits);

  // Keywords: any run of lower-case letters; the parser knows true, false, null.
  set(S.Keyword, 0, 255, token(Tok.Keyword) | LOOKAHEAD);
  set(S.Keyword, ch('a'), ch('z'), S.Keyword);

  // Start (interpolation, QEMU's %d and friends, is off for QMP).
  one(S.Start, '"', S.Dq);
  one(S.Start, "'", S.Sq);
  one(S.Start, '0', S.Zero);
  set(S.Start, ch('1'), ch('9'), S.Digits);
  one(S.Start, '-', S.Sign);
  one(S.Start, '{', token(Tok.LCurly));
  one(S.Start, '}', token(Tok.RCurly));
  one(S.Start, '[', token(Tok.LSquare));
  one(S.Start, ']', token(Tok.RSquare));
  one(S.Start, ',', token(Tok.Comma));
  one(S.Start, ':', token(Tok.Colon));
  set(S.Start, ch('a'), ch('z'), S.Keyword);
  for (const c of ' \t\r\n') one(S.Start, c, S.Start);
  return t;
}

/**
 * A string token's leading plain-ASCII part, decoded while it streamed in
 * (so a huge string costs no long pause when it completes): `text` is
 * bytes [1, 1 + bytes) of the token.
 */
export interface StringPrefix {
  text: string;
  bytes: number;
}

/** Receives each token: its type and its bytes (valid only during the call). */
export type TokenSink = (type: Tok, bytes: Uint8Array, prefix: StringPrefix | null) => void;

const ascii = new TextDecoder('utf-8');

export class JsonLexer {
  private state: S = S.Start;
  private buf = new Uint8Array(256);
  private len = 0;
  /** The decoded plain-ASCII start of the string being read, while it is only that. */
  // Built with += : V8 keeps it as a rope, so no long copy when the string ends.
  private prefix = '';
  private prefixBytes = 0;
  private simple = false;

  constructor(private readonly sink: TokenSink) {}

  /** Feeds bytes [from, to) of `input`. */
  feed(input: Uint8Array, from = 0, to = input.length): void {
    let i = from;
    while (i < to) {
      // Inside a string, a run of plain bytes only grows the token: copy it
      // in one go (the table would take each of them to the same state).
      if (this.state === S.Dq || this.state === S.Sq) {
        const quote = this.state === S.Dq ? 0x22 : 0x27;
        const room = MAX_TOKEN_SIZE - this.len;
        let j = i;
        let high = false;
        const stop = Math.min(to, i + Math.max(0, room));
        while (j < stop) {
          const b = input[j]!;
          if (b < 0x20 || b > 0xfd || b === quote || b === 0x5c) break;
          if (b >= 0x80) high = true;
          j++;
        }
        if (j > i) {
          if (this.simple && !high && this.prefixBytes === this.len - 1) {
            this.prefix += ascii.decode(input.subarray(i, j));
            this.prefixBytes += j - i;
          } else {
            this.simple = false;
          }
          this.pushRun(input, i, j);
          i = j;
          continue;
        }
      }
      this.feedByte(input[i]!);
      i++;
    }
  }

  private pushRun(input: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.len + n > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < this.len + n) cap *= 2;
      const bigger = new Uint8Array(cap);
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    this.buf.set(input.subarray(from, to), this.len);
    this.len += n;
  }

  private feedByte(byte: number): void {
    for (;;) {
      const entry = TABLE[this.state * 256 + byte]!;
      const consumed = (entry & LOOKAHEAD) === 0;
      const next = entry & ~LOOKAHEAD;
      if (consumed) this.push(byte);
      if (next >= FIRST_TOKEN) {
        const type = (next - FIRST_TOKEN) as Tok;
        const prefix = type === Tok.String && this.simple && this.prefixBytes > 0 ? { text: this.prefix, bytes: this.prefixBytes } : null;
        this.sink(type, this.buf.subarray(0, this.len), prefix);
        this.endToken();
        this.state = type === Tok.Error ? S.Recovery : S.Start;
      } else {
        const state = next as S;
        if (state === S.Start || state === S.Recovery) this.endToken();
        else if ((state === S.Dq || state === S.Sq) && this.state === S.Start) this.startString();
        else this.simple = false; // an escape, or a byte the fast path did not take
        this.state = state;
      }
      if (consumed) break;
    }
    if (this.len > MAX_TOKEN_SIZE) {
      this.sink(Tok.Oversized, this.buf.subarray(0, this.len), null);
      this.endToken();
      this.state = S.Start;
    }
  }

  private startString(): void {
    this.prefix = '';
    this.prefixBytes = 0;
    this.simple = true;
  }

  /** A token ended: its bytes go, and a buffer a huge token grew is given back. */
  private endToken(): void {
    this.len = 0;
    this.simple = false;
    this.prefix = '';
    this.prefixBytes = 0;
    if (this.buf.length > 1 << 20) this.buf = new Uint8Array(256);
  }

  private push(byte: number): void {
    if (this.len === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.len++] = byte;
  }

  /** Drops a partial token (a new QMP client starts afresh). */
  reset(): void {
    this.state = S.Start;
    this.endToken();
  }

  /** Bytes held for the token being read. */
  get pending(): number {
    return this.buf.length;
  }
}
