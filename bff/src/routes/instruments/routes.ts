import type { Types } from 'mongoose';
import { badRequest, conflict } from '../../errors';
import { presentInstrumentForStaff } from '../../presenters/instrument';
import { codeMismatch, insertInstruments, loadVisibleInstrument, takenCodes, type StaffInstrument } from '../../services/registry';
import { scanInstrument } from '../../services/scan';
import { listStaffInstruments, staffInstrumentItem } from '../../services/instrumentList';
import { SCAN_RATE_LIMIT } from '../../middleware/rateLimit';
import { loadVisibleBusiness } from '../../services/businesses';
import { IdParams } from '../common';
import { defineRoute, type RouteDef } from '../route';
import { CodeParams, CreateInstrument, ListInstruments, UpdateInstrument } from '@shared/requests/instruments';

const STAFF = ['regulator', 'admin'] as const;


function assertCodesFree(taken: string[]) {
  if (taken.length) throw conflict('INSTRUMENT_CODE_TAKEN', '识别码已被其他器具使用', { codes: taken });
}

export const instrumentRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/instruments/:code',
    summary: '按识别码（或其他系统的编码）查询器具公示信息',
    access: 'anyone',
    params: CodeParams,
    rateLimit: SCAN_RATE_LIMIT,
    async handler(ctx, input) {
      const { code } = input.params;
      ctx.body = await scanInstrument(ctx.deps.models, code, ctx.deps.config.qrSigningSecret);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/instruments',
    summary: '计量器具列表（本辖区）：按检定状态、到期天数筛选，可排序；每条带检定状态和最近一次检定',
    access: STAFF,
    query: ListInstruments,
    async handler(ctx, input) {
      ctx.body = await listStaffInstruments(ctx.deps.models, ctx.state.user, input.query);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/instruments',
    summary: '登记计量器具（不填识别码则由平台签发）',
    access: STAFF,
    body: CreateInstrument,
    async handler(ctx, input) {
      const { businessId, ...body } = input.body;
      const business = await loadVisibleBusiness(ctx.deps.models, ctx.state.user, businessId);
      if (body.code) {
        const mismatch = codeMismatch(body.code, business.regionCode, body.category);
        if (mismatch) throw badRequest(mismatch.code, mismatch.message);
      }
      assertCodesFree(await takenCodes(ctx.deps.models, body.code ? [body.code] : [], body.externalCodes));
      const [created] = await insertInstruments(ctx.deps.models, [
        { ...body, business: business._id as Types.ObjectId, regionCode: business.regionCode },
      ]);
      ctx.status = 201;
      ctx.body = presentInstrumentForStaff(created.toObject() as StaffInstrument);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/instruments/:id',
    summary: '计量器具详情（含今日的检定状态和最近一次检定）',
    access: STAFF,
    params: IdParams,
    async handler(ctx, input) {
      const found = await loadVisibleInstrument(ctx.deps.models, ctx.state.user, input.params.id);
      ctx.body = await staffInstrumentItem(ctx.deps.models, found._id as Types.ObjectId);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/admin/instruments/:id',
    summary: '修改计量器具信息或状态（停用、报废）',
    access: STAFF,
    params: IdParams,
    body: UpdateInstrument,
    async handler(ctx, input) {
      const { id } = input.params;
      const changes = input.body;
      const current = await loadVisibleInstrument(ctx.deps.models, ctx.state.user, id);
      if (changes.externalCodes) assertCodesFree(await takenCodes(ctx.deps.models, [], changes.externalCodes, current._id as Types.ObjectId));
      const updated = await ctx.deps.models.Instrument.findByIdAndUpdate(id, { $set: changes }, { returnDocument: 'after', runValidators: true }).lean<StaffInstrument>();
      ctx.body = presentInstrumentForStaff(updated!);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/admin/instruments/:id',
    summary: '删除误登记的器具（有检定记录的器具只能报废）',
    access: STAFF,
    params: IdParams,
    async handler(ctx, input) {
      const { id } = input.params;
      await loadVisibleInstrument(ctx.deps.models, ctx.state.user, id);
      const { Instrument, Verification } = ctx.deps.models;
      if (await Verification.exists({ instrument: id })) throw conflict('INSTRUMENT_HAS_HISTORY', '该器具已有检定记录，不能删除，请将其状态改为报废');
      await Instrument.deleteOne({ _id: id });
      ctx.status = 204;
    },
  }),
];
