import { z } from 'zod';
import { PhotoParams } from '@shared/requests/complaints';
import { COMPLAINT_PHOTO_RATE_LIMIT } from '../../middleware/rateLimit';
import { openOwnPhoto, receivePhoto, storeComplaintPhoto, sweepStalePhotosNow } from '../../services/photos';
import { defineRoute, type RouteDef } from '../route';

const PUBLIC = ['public', 'guest'] as const;

export const complaintPhotoRoutes: RouteDef[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/complaints/photos',
    summary: '上传投诉图片（multipart/form-data，字段 photo；JPEG/PNG/WebP，按文件内容识别，≤ 5 MB）；201 { id, contentType, size }，提交投诉时填入 photos。一天内未用于投诉的图片会被删除',
    access: PUBLIC,
    body: z.object({ photo: z.string().meta({ format: 'binary' }).describe('The image file: JPEG, PNG or WebP, recognised by its bytes') }),
    rawBody: { mediaType: 'multipart/form-data' },
    rateLimit: COMPLAINT_PHOTO_RATE_LIMIT,
    async handler(ctx) {
      const photo = await receivePhoto(ctx.req, ctx.req.headers);
      const conn = ctx.deps.models.Complaint.db;
      ctx.status = 201;
      ctx.body = await storeComplaintPhoto(conn, ctx.state.user.id, photo);
      // Housekeeping, not the caller's business: a failed sweep is logged and tried again next hour.
      await sweepStalePhotosNow(conn).catch((err) => ctx.deps.logger.warn({ err }, 'stale complaint photo sweep failed'));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/complaints/photos/:id',
    summary: '查看自己上传的投诉图片（仅上传者本人）',
    access: PUBLIC,
    params: PhotoParams,
    async handler(ctx, input) {
      const photo = await openOwnPhoto(ctx.deps.models.Complaint.db, ctx.state.user.id, input.params.id);
      ctx.type = photo.contentType;
      ctx.length = photo.length;
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Cache-Control', 'private, max-age=3600');
      ctx.body = photo.stream;
    },
  }),
];
