/**
 * Bench (issue 4): time to write an A4 label sheet PDF for 1,000 labels to a file.
 * Run alone with `npx tsx test/bench/labels.bench.ts [count]`; `npm run bench` runs it with the others.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labelSheetPdf, type LabelData } from '@bff/services/labels';

const CATEGORIES = ['电子计价秤', '燃油加油机', '液化石油气加气机', '血压计', '验光仪', '出租汽车计价器'];
const BUSINESSES = ['济南市历下区大明湖农贸市场张记蔬菜', '中国石化销售股份有限公司山东济南石油分公司', '泉城路明亮眼镜店', '槐荫区人民医院', '堃喆鑫超市'];

function* benchLabels(count: number): Generator<LabelData> {
  for (let i = 0; i < count; i++) {
    const code = `3701021001${String(i).padStart(8, '0')}7`;
    yield {
      code,
      url: `https://jiliang.example.gov.cn/i/${code}-${(i * 7919).toString(36).padStart(8, 'x')}`,
      categoryName: CATEGORIES[i % CATEGORIES.length],
      businessName: BUSINESSES[i % BUSINESSES.length],
    };
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1000);
  const dir = mkdtempSync(path.join(tmpdir(), 'labels-bench-'));
  const file = path.join(dir, 'labels.pdf');
  try {
    const started = process.hrtime.bigint();
    const { pages } = await labelSheetPdf(benchLabels(count), createWriteStream(file), { title: '标签基准测试' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const kib = statSync(file).size / 1024;
    const rssMiB = process.memoryUsage().rss / 1024 / 1024;
    console.log(`label PDF: ${count} labels, ${pages} pages, ${kib.toFixed(0)} KiB in ${seconds.toFixed(2)} s ` +
      `(${((seconds * 1000) / count).toFixed(2)} ms/label, rss ${rssMiB.toFixed(0)} MiB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
