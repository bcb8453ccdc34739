/**
 * What a form shows next to a field: the Chinese text of a validation issue, from the same
 * zod schemas the BFF validates with (the mini-program and the admin workspace both use it).
 * Schemas carry stable English codes as messages; zod's own checks (lengths, types, enums)
 * are described from the issue itself.
 */
import type { z } from 'zod';
import { CREDIT_CODE_MESSAGES } from './creditCode';
import { INSTRUMENT_CODE_MESSAGES } from './instrumentCode';

const CODE_TEXT: Record<string, string> = {
  TEXT_CONTROL_CHARACTER: '含有无法显示的控制字符，请删除后重试',
  TEXT_INVISIBLE_CHARACTER: '含有不可见字符（如零宽字符、方向控制符），请删除后重试',
  TEXT_NONCHARACTER: '含有无效字符，请删除后重试',
  OBJECT_ID: '编号格式不正确',
  OBJECT_ID_LIST: '编号列表格式不正确',
  PHONE_FORMAT: '电话号码格式不正确',
  REGION_CODE_FORMAT: '地区代码应为6位数字',
  REGION_CODE_UNKNOWN: '没有这个地区代码（GB/T 2260）',
  REGION_PREFIX_FORMAT: '地区代码应为2至6位数字',
  COMPLAINT_CATEGORY_REQUIRED: '请选择投诉类型',
  COMPLAINT_TARGET_REQUIRED: '请指明投诉的器具或经营者',
  TRACKING_NO_FORMAT: '查询编号格式不正确（TS开头，共16位）',
  NEAR_FORMAT: '位置格式不正确',
  NEAR_OUT_OF_RANGE: '位置超出范围',
  DATE_IN_FUTURE: '日期不能晚于明天',
  DATE_TOO_EARLY: '日期不能早于2000年1月1日',
  DUE_DATE_NOT_AFTER_DATE: '有效期应晚于检定日期',
  EXTERNAL_CODE_FORMAT: '外部编码格式不正确',
  EXTERNAL_CODE_LOOKS_LIKE_PLATFORM_CODE: '外部编码不能是平台识别码',
  EXTERNAL_CODE_LOOKS_LIKE_URL: '外部编码不能是网址',
  EXTERNAL_CODE_REPEATED: '外部编码重复',
  DUE_FORMAT: '到期筛选应为 overdue 或天数',
  DUE_TOO_FAR: '到期天数不能超过366天',
  USERNAME_FORMAT: '用户名为3至32位字母、数字、下划线、点或连字符，以字母或数字开头',
  PASSWORD_TOO_SHORT: '密码至少10位',
  NOTHING_TO_CHANGE: '没有要修改的内容',
  DATE_RANGE_REVERSED: '结束日期不能早于开始日期',
};

for (const [reason, text] of Object.entries(CREDIT_CODE_MESSAGES)) CODE_TEXT[`CREDIT_CODE_${reason}`] = text;
for (const [reason, text] of Object.entries(INSTRUMENT_CODE_MESSAGES)) CODE_TEXT[`INSTRUMENT_CODE_${reason}`] = text;

/** The parts of a zod issue (or of a BFF `VALIDATION_FAILED` detail) the text is made from. */
export type IssueLike = Pick<z.core.$ZodIssue, 'code' | 'message'> & {
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
};

const STABLE_CODE = /^[A-Z][A-Z0-9_]+$/;

/** Chinese text for one validation issue. */
export function issueText(issue: IssueLike): string {
  if (STABLE_CODE.test(issue.message) && CODE_TEXT[issue.message]) return CODE_TEXT[issue.message];
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '请填写此项' : `至少填写${issue.minimum}个字`;
      if (issue.origin === 'array') return `至少选择${issue.minimum}项`;
      return `不能小于${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `最多${issue.maximum}个字`;
      if (issue.origin === 'array') return `最多${issue.maximum}项`;
      return `不能大于${issue.maximum}`;
    case 'invalid_type':
      return '请填写此项';
    case 'invalid_value':
      return '请从选项中选择';
    default:
      return '填写有误，请检查';
  }
}

/**
 * A schema's verdict on a form's values, as one message per field (the first issue of each
 * top-level field, keyed by its name); empty when the values are valid.
 */
export function fieldErrors(schema: z.ZodType, values: unknown): Record<string, string> {
  const result = schema.safeParse(values);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!(field in errors)) errors[field] = issueText(issue as IssueLike);
  }
  return errors;
}
