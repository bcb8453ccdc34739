/**
 * Likes: one per user per instrument per China calendar day. The unique index on
 * (instrument, user, day) decides; the instrument's counter moves in the same transaction as
 * the insert, so the count is exactly the number of likes stored, however fast a phone taps.
 */
import type { Types } from 'mongoose';
import type { LikeResponse, ListResponse, MyLikeView, SessionUser } from '@shared/api';
import { chinaCalendarDay } from '@shared/chinaDate';
import { notFound } from '../errors';
import type { Models } from '../models';
import { instrumentLookup } from './scan';
import { presentMyLike, type LikeFields } from '../presenters/like';
import { businessNames, newestFirst, type PageRequest } from './ownLists';

interface LikedInstrument {
  _id: Types.ObjectId;
  code: string;
  category: string;
  business: Types.ObjectId;
  likes?: number | null;
}

const instrumentNotFound = () => notFound('INSTRUMENT_NOT_FOUND', '未找到该计量器具');

/**
 * The instrument a code names, read as GET /api/v1/instruments/:code reads it: a platform code
 * (with or without its label signature, or the label's URL) or a code another system gave it.
 */
export async function findInstrumentByAnyCode(models: Models, q: string): Promise<LikedInstrument> {
  const { filter } = instrumentLookup(q);
  const found = await models.Instrument.findOne(filter, { code: 1, category: 1, business: 1, likes: 1 }).lean<LikedInstrument>();
  if (!found) throw instrumentNotFound();
  return found;
}

const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;

/** Likes the instrument for today (China day); a second like the same day changes nothing and says so. */
export async function likeInstrument(models: Models, user: SessionUser, code: string, now = new Date()): Promise<LikeResponse> {
  const instrument = await findInstrumentByAnyCode(models, code);
  const { Like, Instrument } = models;
  try {
    const likes = await Instrument.db.transaction(async (session) => {
      await Like.create(
        [{ instrument: instrument._id, user: user.id, day: chinaCalendarDay(now)!, business: instrument.business, code: instrument.code, category: instrument.category }],
        { session },
      );
      const updated = await Instrument.findByIdAndUpdate(instrument._id, { $inc: { likes: 1 } }, { session, returnDocument: 'after', projection: { likes: 1 } }).lean<LikedInstrument>();
      if (!updated) throw instrumentNotFound(); // deleted meanwhile: the like goes with the aborted transaction
      return updated.likes ?? 0;
    });
    return { likes, alreadyLiked: false };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const current = await Instrument.findById(instrument._id, { likes: 1 }).lean<LikedInstrument>();
    if (!current) throw instrumentNotFound();
    return { likes: current.likes ?? 0, alreadyLiked: true };
  }
}

/** The caller's likes, newest first, with the business as it is named now. */
export async function listMyLikes(models: Models, user: SessionUser, pageRequest: PageRequest): Promise<ListResponse<MyLikeView>> {
  const { docs, total } = await newestFirst<LikeFields>(models.Like, { user: user.id }, pageRequest);
  const names = await businessNames(models, docs.map((l) => l.business));
  return { items: docs.map((l) => presentMyLike(l, names.get(String(l.business)))), total, ...pageRequest };
}
