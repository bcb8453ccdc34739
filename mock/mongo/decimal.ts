/**
 * Exact decimal arithmetic for `$inc` and `$mul` on Decimal128 values, which mingo would apply
 * with JavaScript `+`/`*` (concatenating or losing digits). A value is an integer of digits
 * and a scale: 12.34 = { digits: 1234n, scale: 2 }.
 */
import { Decimal128 } from 'bson';

interface Exact {
  digits: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export function isDecimal128(v: unknown): v is Decimal128 {
  return (v as { _bsontype?: string } | null)?._bsontype === 'Decimal128';
}

function toExact(v: unknown): Exact | null {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : isDecimal128(v) ? v.toString() : '';
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && !m[3])) return null;
  const fraction = m[3] ?? '';
  return { digits: BigInt(`${m[1]}${m[2]}${fraction}` || '0'), scale: fraction.length - Number(m[4] ?? 0) };
}

function rescale(x: Exact, scale: number): bigint {
  return x.digits * 10n ** BigInt(scale - x.scale);
}

function toDecimal128({ digits, scale }: Exact): Decimal128 {
  if (scale <= 0) return Decimal128.fromString((digits * 10n ** BigInt(-scale)).toString());
  const sign = digits < 0n ? '-' : '';
  const abs = (digits < 0n ? -digits : digits).toString().padStart(scale + 1, '0');
  return Decimal128.fromString(`${sign}${abs.slice(0, -scale)}.${abs.slice(-scale)}`);
}

/** current + operand, exactly, when either is a Decimal128; null when not applicable. */
export function addDecimal(current: unknown, operand: unknown): Decimal128 | null {
  if (!isDecimal128(current) && !isDecimal128(operand)) return null;
  const a = current === undefined ? { digits: 0n, scale: 0 } : toExact(current);
  const b = toExact(operand);
  if (!a || !b) return null;
  const scale = Math.max(a.scale, b.scale, 0);
  return toDecimal128({ digits: rescale(a, scale) + rescale(b, scale), scale });
}

/** current × operand, exactly, when either is a Decimal128; null when not applicable. */
export function multiplyDecimal(current: unknown, operand: unknown): Decimal128 | null {
  if (!isDecimal128(current) && !isDecimal128(operand)) return null;
  const a = current === undefined ? { digits: 0n, scale: 0 } : toExact(current);
  const b = toExact(operand);
  if (!a || !b) return null;
  return toDecimal128({ digits: a.digits * b.digits, scale: a.scale + b.scale });
}
