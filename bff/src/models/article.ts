import { Schema } from 'mongoose';
import { ARTICLE_CATEGORY_IDS } from '@shared/articles';

/**
 * A publicity article (duty 6 of the open letter): a law, a policy or an integrity notice, with a
 * short summary written for the platform. Paragraphs are plain text: no HTML ever reaches a page.
 */
export const articleSchema = new Schema(
  {
    /** Stable name for seeding and links; seeded articles are matched by it, never duplicated. */
    slug: { type: String, required: true },
    title: { type: String, required: true },
    category: { type: String, enum: ARTICLE_CATEGORY_IDS, required: true },
    summary: { type: String, required: true },
    paragraphs: { type: [String], default: [] },
    /** Who issued the text (全国人民代表大会常务委员会, 国务院 …), or this platform for our own pieces. */
    source: { type: String, required: true },
    /** 00:00 China time of the day it was published or took effect: a China calendar day. */
    publishedOn: { type: Date, required: true },
    status: { type: String, enum: ['published', 'draft'], default: 'draft' },
  },
  { timestamps: true, autoIndex: false },
);
articleSchema.index({ slug: 1 }, { unique: true });
// The public list: published, optionally one category, newest first.
articleSchema.index({ status: 1, category: 1, publishedOn: -1 });
articleSchema.index({ status: 1, publishedOn: -1 });
