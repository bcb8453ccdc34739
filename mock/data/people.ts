/** Plausible (fictional) contact persons and phone numbers for demo businesses. */
import type { Rng } from './prng';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '孙', '徐', '马', '高', '于', '董', '田', '周', '吴', '郭', '宋', '韩', '曹', '魏', '孟', '齐', '崔', '付', '范', '姜', '房', '鲁', '秦'] as const;
const GIVEN_NAMES = ['建国', '秀英', '丽', '伟', '强', '敏', '静', '磊', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '志刚', '红梅', '海燕', '立新', '晓东', '春雨', '子涵', '浩然', '欣怡', '振华', '玉梅'] as const;
const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '137', '138', '139', '150', '151', '152', '153', '155', '156', '158', '159', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '199'] as const;

export function surname(rng: Rng): string {
  return rng.pick(SURNAMES);
}

export function personName(rng: Rng): string {
  return surname(rng) + rng.pick(GIVEN_NAMES);
}

/** A mobile number shaped 1xx-xxxx-xxxx. */
export function mobilePhone(rng: Rng): string {
  const digits = (count: number) => String(rng.int(0, 10 ** count - 1)).padStart(count, '0');
  return `${rng.pick(MOBILE_PREFIXES)}-${digits(4)}-${digits(4)}`;
}
