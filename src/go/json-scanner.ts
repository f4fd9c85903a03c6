/**
 * Go `encoding/json` syntax checking (scanner.go `checkValid`), with Go's error texts:
 * "invalid character 'x' looking for beginning of value", "unexpected end of JSON input", ….
 */
import { goQuote } from './quote.js';

/** scanner.go quoteChar: an offending byte as shown in an error, e.g. 'x' or '\n'. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  return "'" + goQuote(String.fromCharCode(c)).slice(1, -1) + "'";
}

export const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

const MAX_NESTING = 10000;
const P_KEY = 0;
const P_VALUE = 1;
const P_ARRAY = 2;

/**
 * Go json `checkValid`: the scanner state machine of encoding/json/scanner.go, with its error
 * texts ("invalid character 'x' looking for beginning of value", "unexpected end of JSON input").
 * Returns null when the input is one valid JSON value.
 */
export function goJsonCheckValid(data: Uint8Array): string | null {
  type St =
    | 'beginValueOrEmpty' | 'beginValue' | 'beginStringOrEmpty' | 'beginString' | 'endValue' | 'endTop'
    | 'inString' | 'inStringEsc' | 'inStringEscU' | 'neg' | 'one' | 'zero' | 'dot' | 'dot0' | 'e' | 'eSign' | 'e0' | 'lit';
  let st: St = 'beginValue';
  const stack: number[] = [];
  let endTop = false;
  let err: string | null = null;
  let uCount = 0;
  let lit = '';
  let litPos = 0;
  const fail = (c: number, ctx: string): void => {
    err = `invalid character ${quoteChar(c)} ${ctx}`;
  };
  const push = (c: number, p: number): void => {
    stack.push(p);
    if (stack.length > MAX_NESTING) fail(c, 'exceeded max depth');
  };
  const pop = (): void => {
    stack.pop();
    if (stack.length === 0) {
      st = 'endTop';
      endTop = true;
    } else st = 'endValue';
  };
  const endValue = (c: number): void => {
    if (stack.length === 0) {
      st = 'endTop';
      endTop = true;
      if (!isJsonSpace(c)) fail(c, 'after top-level value');
      return;
    }
    if (isJsonSpace(c)) {
      st = 'endValue';
      return;
    }
    const top = stack[stack.length - 1];
    if (top === P_KEY) {
      if (c === 0x3a) {
        stack[stack.length - 1] = P_VALUE;
        st = 'beginValue';
      } else fail(c, 'after object key');
    } else if (top === P_VALUE) {
      if (c === 0x2c) {
        stack[stack.length - 1] = P_KEY;
        st = 'beginString';
      } else if (c === 0x7d) pop();
      else fail(c, 'after object key:value pair');
    } else {
      if (c === 0x2c) st = 'beginValue';
      else if (c === 0x5d) pop();
      else fail(c, 'after array element');
    }
  };
  const beginValue = (c: number): void => {
    if (isJsonSpace(c)) return;
    switch (c) {
      case 0x7b: st = 'beginStringOrEmpty'; push(c, P_KEY); return;
      case 0x5b: st = 'beginValueOrEmpty'; push(c, P_ARRAY); return;
      case 0x22: st = 'inString'; return;
      case 0x2d: st = 'neg'; return;
      case 0x30: st = 'zero'; return;
      case 0x74: st = 'lit'; lit = 'true'; litPos = 1; return;
      case 0x66: st = 'lit'; lit = 'false'; litPos = 1; return;
      case 0x6e: st = 'lit'; lit = 'null'; litPos = 1; return;
    }
    if (c >= 0x31 && c <= 0x39) st = 'one';
    else fail(c, 'looking for beginning of value');
  };
  const beginString = (c: number): void => {
    if (isJsonSpace(c)) return;
    if (c === 0x22) st = 'inString';
    else fail(c, 'looking for beginning of object key string');
  };
  const zero = (c: number): void => {
    if (c === 0x2e) st = 'dot';
    else if (c === 0x65 || c === 0x45) st = 'e';
    else endValue(c);
  };
  const eSign = (c: number): void => {
    if (isDigit(c)) st = 'e0';
    else fail(c, 'in exponent of numeric literal');
  };
  const step = (c: number): void => {
    switch (st) {
      case 'beginValueOrEmpty':
        if (isJsonSpace(c)) return;
        if (c === 0x5d) return endValue(c);
        return beginValue(c);
      case 'beginValue':
        return beginValue(c);
      case 'beginStringOrEmpty':
        if (isJsonSpace(c)) return;
        if (c === 0x7d) {
          stack[stack.length - 1] = P_VALUE;
          return endValue(c);
        }
        return beginString(c);
      case 'beginString':
        return beginString(c);
      case 'endValue':
        return endValue(c);
      case 'endTop':
        if (!isJsonSpace(c)) fail(c, 'after top-level value');
        return;
      case 'inString':
        if (c === 0x22) st = 'endValue';
        else if (c === 0x5c) st = 'inStringEsc';
        else if (c < 0x20) fail(c, 'in string literal');
        return;
      case 'inStringEsc':
        if ('bfnrt\\/"'.includes(String.fromCharCode(c))) st = 'inString';
        else if (c === 0x75) {
          st = 'inStringEscU';
          uCount = 0;
        } else fail(c, 'in string escape code');
        return;
      case 'inStringEscU':
        if (!isHex(c)) return fail(c, 'in \\u hexadecimal character escape');
        if (++uCount === 4) st = 'inString';
        return;
      case 'neg':
        if (c === 0x30) st = 'zero';
        else if (c >= 0x31 && c <= 0x39) st = 'one';
        else fail(c, 'in numeric literal');
        return;
      case 'one':
        if (isDigit(c)) return;
        return zero(c);
      case 'zero':
        return zero(c);
      case 'dot':
        if (isDigit(c)) st = 'dot0';
        else fail(c, 'after decimal point in numeric literal');
        return;
      case 'dot0':
        if (isDigit(c)) return;
        if (c === 0x65 || c === 0x45) st = 'e';
        else endValue(c);
        return;
      case 'e':
        if (c === 0x2b || c === 0x2d) {
          st = 'eSign';
          return;
        }
        return eSign(c);
      case 'eSign':
        return eSign(c);
      case 'e0':
        if (isDigit(c)) return;
        return endValue(c);
      case 'lit': {
        const want = lit.charCodeAt(litPos);
        if (c !== want) return fail(c, `in literal ${lit} (expecting '${lit[litPos]}')`);
        if (++litPos === lit.length) st = 'endValue';
        return;
      }
    }
  };
  for (let i = 0; i < data.length; i++) {
    step(data[i]!);
    if (err !== null) return err;
  }
  if (endTop) return null;
  step(0x20);
  if (err !== null) return err;
  if (endTop) return null;
  return 'unexpected end of JSON input';
}
