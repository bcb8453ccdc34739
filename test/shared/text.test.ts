import { displayableText, textBlock, textLine, textProblem } from '@shared/text';

const line = textLine({ min: 2, max: 10 });
const block = textBlock({ max: 50 });
const messages = (r: { error?: { issues: Array<{ message: string }> } }) => r.error?.issues.map((i) => i.message) ?? [];

describe('text fields', () => {
  test('a single line is NFC-normalised and trimmed before its length is checked', () => {
    expect(line.parse('  Cafe\u0301 店  ')).toBe('Café 店');
    expect(line.parse('e\u0301'.repeat(10))).toBe('é'.repeat(10));
    expect(line.safeParse('  a  ').success).toBe(false);
  });

  test.each([
    ['NUL', 'ab\u0000c', 'TEXT_CONTROL_CHARACTER'],
    ['a C0 control', 'ab\u001bc', 'TEXT_CONTROL_CHARACTER'],
    ['DEL', 'ab\u007fc', 'TEXT_CONTROL_CHARACTER'],
    ['a C1 control', 'ab\u0085c', 'TEXT_CONTROL_CHARACTER'],
    ['a newline', 'ab\nc', 'TEXT_CONTROL_CHARACTER'],
    ['a tab', 'ab\tc', 'TEXT_CONTROL_CHARACTER'],
    ['U+FFFF', '泉城\uffff市场', 'TEXT_NONCHARACTER'],
    ['U+FFFE', '泉城\ufffe市场', 'TEXT_NONCHARACTER'],
    ['U+FDD0', '泉城\ufdd0市场', 'TEXT_NONCHARACTER'],
    ['a plane-1 noncharacter', '泉城\u{1fffe}市', 'TEXT_NONCHARACTER'],
    ['a lone surrogate', '泉城\ud800市场', 'TEXT_NONCHARACTER'],
    ['a right-to-left override', '泉城\u202e场市', 'TEXT_INVISIBLE_CHARACTER'],
    ['a bidi isolate', '泉城\u2067市场', 'TEXT_INVISIBLE_CHARACTER'],
    ['a right-to-left mark', '泉城\u200f市场', 'TEXT_INVISIBLE_CHARACTER'],
    ['a zero-width space', '泉城\u200b市场', 'TEXT_INVISIBLE_CHARACTER'],
    ['a zero-width joiner', '泉城\u200d市场', 'TEXT_INVISIBLE_CHARACTER'],
    ['a byte order mark inside', '泉城\ufeff市场', 'TEXT_INVISIBLE_CHARACTER'],
    ['a line separator', '泉城\u2028市场', 'TEXT_INVISIBLE_CHARACTER'],
  ])('a single line with %s is refused with a stable code', (_what, value, code) => {
    expect(messages(line.safeParse(value))).toEqual([code]);
  });

  test('ordinary Chinese, full-width punctuation, the ideographic space and private-use rare characters pass', () => {
    expect(line.parse('济南（历下）\u3000超市')).toBe('济南（历下）\u3000超市');
    expect(line.parse('王\ue000记')).toBe('王\ue000记');
  });

  test('multi-line text keeps newlines and tabs, turns CR LF, CR and U+2028 into newlines', () => {
    expect(block.parse('第一行\r\n第二行\r第三行\u2028\t第四行')).toBe('第一行\n第二行\n第三行\n\t第四行');
  });

  test('multi-line text refuses the other controls, noncharacters and invisible characters', () => {
    expect(messages(block.safeParse('投诉\u0000内容'))).toEqual(['TEXT_CONTROL_CHARACTER']);
    expect(messages(block.safeParse('投诉\u000b内容'))).toEqual(['TEXT_CONTROL_CHARACTER']);
    expect(messages(block.safeParse('投诉\uffff内容'))).toEqual(['TEXT_NONCHARACTER']);
    expect(messages(block.safeParse('投诉\u202e内容'))).toEqual(['TEXT_INVISIBLE_CHARACTER']);
  });

  test('textProblem names the first problem, or null for clean text', () => {
    expect(textProblem('泉城路 1 号')).toBeNull();
    expect(textProblem('a\nb', { multiline: true })).toBeNull();
    expect(textProblem('a\nb')).toBe('TEXT_CONTROL_CHARACTER');
  });

  test('displayableText turns whatever is already stored into something safe to render', () => {
    expect(displayableText(' 泉城\uffff市场\u202e\u200b 二\u0000部 \ud800')).toBe('泉城 市场 二 部');
  });
});
