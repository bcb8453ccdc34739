/**
 * The publicity articles the platform ships with (duty 6 of the open letter): real laws,
 * regulations and policies on metrology, each with its real title, issuer and date, and two
 * integrity notices written for this platform. Every summary and paragraph is our own short
 * account of the text, not the text itself; readers are pointed to the official version.
 *
 * Dates: `publishedOn` is the China calendar day of the version summarised (the latest
 * amendment for a law that was amended; the date the document bears otherwise).
 */
import type { ArticleCategory } from '@shared/articles';

export interface ArticleSeed {
  slug: string;
  title: string;
  category: ArticleCategory;
  summary: string;
  paragraphs: string[];
  source: string;
  /** `YYYY-MM-DD`, a China calendar day. */
  publishedOn: string;
}

/** Who wrote the notices that are ours, so no reader takes them for an official document. */
export const PLATFORM_SOURCE = '诚信计量公示平台（本平台编写）';

export const PUBLICITY_ARTICLES: readonly ArticleSeed[] = [
  {
    slug: 'metrology-law',
    title: '中华人民共和国计量法',
    category: 'law',
    source: '全国人民代表大会常务委员会',
    publishedOn: '2018-10-26',
    summary: '我国计量工作的基本法律：统一国家计量单位制度，对用于贸易结算、安全防护、医疗卫生、环境监测的工作计量器具实行强制检定。',
    paragraphs: [
      '《中华人民共和国计量法》于1985年9月6日由第六届全国人民代表大会常务委员会第十二次会议通过，1986年7月1日起施行，此后于2009年、2013年、2015年、2017年和2018年10月26日五次修正。',
      '法律确立了国家法定计量单位制度，规定计量基准器具、计量标准器具的建立和使用，以及计量器具的制造、修理、销售和使用应当遵守的规则。',
      '与市民关系最密切的是强制检定：列入强制检定目录、用于贸易结算、安全防护、医疗卫生和环境监测的工作计量器具，由县级以上计量行政部门指定的机构定期检定，未按规定申请检定或者检定不合格的，不得使用。菜市场的电子秤、加油站的加油机、诊所的血压计都在此列。',
      '法律还规定了计量监督和法律责任：使用不合格计量器具、破坏计量器具准确度、伪造数据给国家或消费者造成损失的，要承担相应的法律责任。',
      '本文是本平台编写的内容提要，条文以全国人大常委会公布的正式文本为准。',
    ],
  },
  {
    slug: 'metrology-law-implementing-rules',
    title: '中华人民共和国计量法实施细则',
    category: 'law',
    source: '国务院',
    publishedOn: '2022-03-29',
    summary: '计量法的配套行政法规，细化计量基准与标准、计量检定、计量器具管理、计量监督和法律责任等规定。',
    paragraphs: [
      '《中华人民共和国计量法实施细则》于1987年1月19日经国务院批准、1987年2月1日由国家计量局发布，先后于2016年2月6日、2017年3月1日、2018年3月19日和2022年3月29日四次修订。',
      '细则把计量法的原则落到具体程序上：计量基准和社会公用计量标准如何建立与考核，计量检定机构和检定人员应当具备什么条件，计量器具在制造、修理、销售和使用各环节受到哪些管理。',
      '细则还对计量纠纷的调解和仲裁检定作了具体规定。按照计量法，处理计量纠纷以国家计量基准器具或者社会公用计量标准器具检定的数据为准。',
      '本文是本平台编写的内容提要，条文以国务院公布的正式文本为准。',
    ],
  },
  {
    slug: 'mandatory-verification-measures',
    title: '中华人民共和国强制检定的工作计量器具检定管理办法',
    category: 'law',
    source: '国务院',
    publishedOn: '1987-04-15',
    summary: '规定哪些工作计量器具必须强制检定、由谁检定、使用者应当履行哪些义务，是本平台器具公示的直接依据。',
    paragraphs: [
      '本办法由国务院于1987年4月15日发布（国发〔1987〕31号），自1987年7月1日起施行，依据计量法第九条制定。',
      '强制检定是指由县级以上人民政府计量行政部门所属或者授权的计量检定机构，对列入目录、用于贸易结算、安全防护、医疗卫生、环境监测的计量器具实行定点定期检定。',
      '使用强制检定工作计量器具的单位和个人，应当将器具登记造册，报当地计量行政部门备案，并向指定的检定机构申请周期检定；检定周期由检定机构按照检定规程确定。',
      '未按规定申请检定或者检定不合格的强制检定计量器具，任何单位和个人不得使用。本平台为每台器具公示的“检定有效”“即将到期”“已过期”等状态，正是对这一义务的公开。',
      '本文是本平台编写的内容提要，条文及所附目录以国务院公布的正式文本和现行目录为准。',
    ],
  },
  {
    slug: 'metrology-development-plan-2021-2035',
    title: '计量发展规划（2021—2035年）',
    category: 'policy',
    source: '国务院',
    publishedOn: '2021-12-31',
    summary: '国务院印发的计量事业中长期规划，提出到2025年和2035年的发展目标，包括加强民生领域计量监管和诚信计量建设。',
    paragraphs: [
      '《计量发展规划（2021—2035年）》由国务院以国发〔2021〕37号文印发，通知落款日期为2021年12月31日，2022年1月公开发布。',
      '规划把计量定位为科技创新、产业发展、国防建设和民生保障的重要基础，提出夯实计量基础、提升计量能力，分别设定了2025年和2035年两个阶段的目标。',
      '在民生方面，规划要求加强与群众生活密切相关的计量器具和商品量的监管，推进诚信计量建设，让消费者在集贸市场、加油站、医疗机构等场所得到准确可靠的计量保障。',
      '规划也鼓励运用信息化手段创新计量监管。本平台以器具识别码和二维码公开检定状态、接受群众监督，就是这类做法的一种尝试。',
      '本文是本平台编写的内容提要，规划全文以国务院公布的正式文本为准。',
    ],
  },
  {
    slug: 'fuel-station-metrology-supervision',
    title: '加油站计量监督管理办法',
    category: 'law',
    source: '国家质量监督检验检疫总局',
    publishedOn: '2003-02-01',
    summary: '针对加油站的计量规章：加油机等计量器具必须检定合格才能使用，经营者要保证油量准确，消费者有异议可以申请仲裁检定。',
    paragraphs: [
      '《加油站计量监督管理办法》以国家质量监督检验检疫总局令第35号发布，自2003年2月1日起施行，适用于加油站经营中的计量器具、成品油销售计量及相关活动。',
      '办法要求加油站经营者遵守计量法律法规，配备计量人员，把燃油加油机等强制检定计量器具登记造册、备案并按时送检；加油机安装或者维修后，要经检定合格才能使用。',
      '经营者不得擅自改动、拆装加油机，不得破坏计量器具的准确度，成品油零售量的误差不得超出规定。',
      '消费者对加油量有疑问时，可以在保持现场原状的情况下向计量监管部门申请仲裁检定，并可依据检定结果要求赔偿。',
      '本文是本平台编写的内容提要，条文以现行有效的正式文本为准。',
    ],
  },
  {
    slug: 'read-the-integrity-label',
    title: '扫一扫，看清每一台秤：认识诚信计量标签',
    category: 'publicity',
    source: PLATFORM_SOURCE,
    publishedOn: '2026-12-01',
    summary: '器具上的二维码标签怎么看：扫码即可看到检定状态、检定机构和有效期，标签真伪由平台核验。',
    paragraphs: [
      '纳入本平台的每一台强制检定计量器具都有一个19位识别码和一张带诚信标识的二维码标签。用微信或手机相机扫一扫，就能看到这台器具的公示信息。',
      '页面最上方的状态说明一切：“检定有效”表示在有效期内，“即将到期”表示30天内到期、仍可使用，“已过期”“检定不合格”“未检定”都意味着这台器具不应再用于称量或计费。',
      '二维码里带有平台签发的校验信息。如果页面提示“疑似伪造标签”，说明标签不是平台签发的，请不要轻信，可以直接在页面上投诉。',
      '看到放心的器具，也可以点个赞。群众的点赞和投诉，都是平台评定经营者诚信计量等级时参考的公众反馈。',
    ],
  },
  {
    slug: 'short-weight-what-to-do',
    title: '遇到缺斤少两怎么办',
    category: 'publicity',
    source: PLATFORM_SOURCE,
    publishedOn: '2026-12-01',
    summary: '怀疑短斤缺两时的几个步骤：当场复称、保留凭证、扫码投诉，并可随时查看处理进度。',
    paragraphs: [
      '买到的东西分量不对，先别着急走：可以到市场的公平秤上复称，记下复称结果，保留小票或付款记录。',
      '扫一扫摊位秤上的诚信计量标签，核对这台秤是否检定有效；在页面上点“投诉”，选择“缺斤少两”，写明经过，可以附上照片。',
      '提交后会得到一个投诉编号，在“我的投诉”里随时查看受理和处理进度。留下的联系方式只提供给监管人员回访，不会公开。',
      '经查实的投诉会影响经营者的诚信计量评价。也可以拨打12315反映情况。',
    ],
  },
];
