/**
 * Publicity articles, GET /api/v1/articles and /api/v1/articles/:id, with the articles the
 * product ships with, seeded as npm start seeds them (scripts/demo.ts seedContent / seedDemo).
 */
import { Types } from 'mongoose';
import { PUBLICITY_ARTICLES } from '@mock/data/articles';
import { seedContent, seedDemo } from '../../scripts/demo';
import { startTestApp, type TestApp } from '../helpers/app';
import { startStack } from '../helpers/stack';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await seedContent(app.server.deps.models);
});
afterAll(() => app.stop());

const list = (query = '') => app.request(`/api/v1/articles${query}`);

describe('the shipped articles', () => {
  it('are all published, with their real titles, issuers and dates', async () => {
    const res = await list('?pageSize=100');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(PUBLICITY_ARTICLES.length);
    const byTitle = Object.fromEntries(res.body.items.map((a: { title: string }) => [a.title, a]));
    expect(byTitle['中华人民共和国计量法']).toMatchObject({ category: 'law', categoryName: '法律法规', source: '全国人民代表大会常务委员会', publishedOn: '2018-10-26' });
    expect(byTitle['计量发展规划（2021—2035年）']).toMatchObject({ category: 'policy', categoryName: '政策文件', source: '国务院', publishedOn: '2021-12-31' });
    expect(byTitle['中华人民共和国计量法实施细则']).toMatchObject({ source: '国务院' });
    expect(byTitle['中华人民共和国强制检定的工作计量器具检定管理办法']).toMatchObject({ source: '国务院', publishedOn: '1987-04-15' });
  });

  it('store their day as 00:00 China time, so range queries on days see them on the right day', async () => {
    const law = await app.server.deps.models.Article.findOne({ slug: 'metrology-law' }).lean();
    expect(law?.publishedOn.toISOString()).toBe('2018-10-25T16:00:00.000Z');
  });

  it('mark the pieces this platform wrote as its own', async () => {
    const res = await list('?category=publicity');
    expect(res.body.total).toBeGreaterThanOrEqual(1);
    for (const a of res.body.items) expect(a.source).toContain('本平台');
  });

  it('are seeded once: seeding again, or seeding the demo over existing data, adds nothing', async () => {
    expect(await seedContent(app.server.deps.models)).toEqual({ articles: 0 });
    await app.server.deps.models.Business.create({ name: '已有数据的经营者', industry: 'retail', regionCode: '370102' });
    expect((await seedDemo(app.server.deps.models)).seeded).toBe(false);
    expect(await app.server.deps.models.Article.countDocuments()).toBe(PUBLICITY_ARTICLES.length);
  });

  it('keep what a regulator changed: seeding again never overwrites nor republishes an article', async () => {
    const { Article } = app.server.deps.models;
    await Article.updateOne({ slug: 'short-weight-what-to-do' }, { $set: { title: '遇到缺斤少两，这样维权' } });
    await Article.updateOne({ slug: 'read-the-integrity-label' }, { $set: { status: 'draft' } });
    await seedContent(app.server.deps.models);
    expect((await Article.findOne({ slug: 'short-weight-what-to-do' }).lean())?.title).toBe('遇到缺斤少两，这样维权');
    expect((await list('?pageSize=100')).text).not.toContain('认识诚信计量标签');
    await Article.updateOne({ slug: 'read-the-integrity-label' }, { $set: { status: 'published' } });
  });

  it('reach a database that already holds data (seedDemo seeds content before it looks)', async () => {
    const { Article } = app.server.deps.models;
    await Article.deleteOne({ slug: 'metrology-law' });
    await seedDemo(app.server.deps.models);
    expect(await Article.exists({ slug: 'metrology-law', status: 'published' })).toBeTruthy();
  });
});

describe('the list', () => {
  it('is newest first, paginated, with the summary but not the body', async () => {
    const all = await list('?pageSize=100');
    const days = all.body.items.map((a: { publishedOn: string }) => a.publishedOn);
    expect(days).toEqual([...days].sort().reverse());
    const first = await list('?pageSize=2&page=1');
    const second = await list('?pageSize=2&page=2');
    expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: all.body.total });
    expect([...first.body.items, ...second.body.items].map((a: { id: string }) => a.id)).toEqual(all.body.items.slice(0, 4).map((a: { id: string }) => a.id));
    expect(Object.keys(all.body.items[0]).sort()).toEqual(['id', 'title', 'category', 'categoryName', 'summary', 'source', 'publishedOn'].sort());
  });

  it('filters by category', async () => {
    const laws = await list('?category=law&pageSize=100');
    expect(laws.body.total).toBeGreaterThanOrEqual(3);
    expect(laws.body.items.every((a: { category: string }) => a.category === 'law')).toBe(true);
    expect(laws.body.items.map((a: { title: string }) => a.title)).toContain('中华人民共和国计量法');
    expect((await list('?category=news')).status).toBe(400);
  });

  it('never shows a draft', async () => {
    const draft = await app.server.deps.models.Article.create({
      slug: 'draft-notice',
      title: '尚未发布的草稿',
      category: 'publicity',
      summary: '草稿',
      source: '诚信计量公示平台',
      publishedOn: new Date('2030-01-01T00:00:00+08:00'),
      status: 'draft',
    });
    expect((await list('?pageSize=100')).text).not.toContain('尚未发布的草稿');
    expect((await app.request(`/api/v1/articles/${draft._id}`)).status).toBe(404);
  });
});

describe('an article', () => {
  it('has its paragraphs as plain text and its day as a China calendar day', async () => {
    const all = await list('?pageSize=100');
    const law = all.body.items.find((a: { title: string }) => a.title === '中华人民共和国计量法');
    const res = await app.request(`/api/v1/articles/${law.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: law.id, title: '中华人民共和国计量法', publishedOn: '2018-10-26' });
    expect(res.body.paragraphs.length).toBeGreaterThanOrEqual(3);
    expect(res.body.paragraphs.join('')).toContain('1985年9月6日');
    expect(res.text).not.toMatch(/<[a-z]/i);
    expect(res.text).not.toContain('slug');
    expect(res.text).not.toContain('status');
  });

  it('answers 404 ARTICLE_NOT_FOUND for an unknown id and 400 for a malformed one', async () => {
    const missing = await app.request(`/api/v1/articles/${new Types.ObjectId().toHexString()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ARTICLE_NOT_FOUND');
    expect((await app.request('/api/v1/articles/not-an-id')).status).toBe(400);
  });
});

describe('the product as npm start runs it with demo data', () => {
  it('serves the shipped articles', async () => {
    const stack = await startStack({ seed: true, businesses: 3 });
    try {
      const res = await fetch(`${stack.baseUrl}/api/v1/articles?pageSize=100`).then((r) => r.json());
      expect(res.total).toBe(PUBLICITY_ARTICLES.length);
      expect(res.items.map((a: { title: string }) => a.title)).toEqual(expect.arrayContaining(['中华人民共和国计量法', '计量发展规划（2021—2035年）']));
    } finally {
      await stack.stop();
    }
  });
});
