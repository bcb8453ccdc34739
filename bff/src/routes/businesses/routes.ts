import { randomInt } from 'node:crypto';
import { conflict } from '../../errors';
import { deleteBusiness, loadVisibleBusiness, updateBusiness } from '../../services/businesses';
import { locationAt } from '../../models';
import { assertMayCreateIn, scopedRegionFilter } from '../../policies';
import { presentBusinessForStaff, type BusinessAdminFields } from '../../presenters/business';
import { escapeRegExp } from '@shared/text';
import { IdParams, listPage, type ListOrder } from '../common';
import { defineRoute, type RouteDef } from '../route';
import { CreateBusiness, ListBusinesses, UpdateBusiness } from '@shared/requests/businesses';

const STAFF = ['regulator', 'admin'] as const;


/** Names in pinyin order (collation zh), ties by age. */
const BUSINESS_ORDERS: Record<string, ListOrder> = {
  '-createdAt': { sort: { _id: -1 } },
  createdAt: { sort: { _id: 1 } },
  name: { sort: { name: 1, _id: 1 }, collation: { locale: 'zh' } },
  '-name': { sort: { name: -1, _id: -1 }, collation: { locale: 'zh' } },
};

/** Stalls without a credit code get `P` + 12 digits, unique by index. */
const newPlatformId = () => `P${String(randomInt(0, 1e12)).padStart(12, '0')}`;

export const businessRoutes: RouteDef[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/businesses',
    summary: '经营者列表（本辖区）',
    access: STAFF,
    query: ListBusinesses,
    async handler(ctx, input) {
      const { q, industry, region, status, sort, page, pageSize } = input.query;
      const filter: Record<string, unknown> = scopedRegionFilter(ctx.state.user, region);
      if (industry) filter.industry = industry;
      if (status) filter.status = status;
      if (q) filter.$or = [{ name: new RegExp(escapeRegExp(q)) }, { creditCode: q.toUpperCase() }, { platformId: q.toUpperCase() }];
      ctx.body = await listPage(ctx.deps.models.Business, filter, { page, pageSize }, presentBusinessForStaff, BUSINESS_ORDERS[sort]);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/businesses',
    summary: '登记经营者',
    access: STAFF,
    body: CreateBusiness,
    async handler(ctx, input) {
      const body = input.body;
      assertMayCreateIn(ctx.state.user, body.regionCode);
      const { Business } = ctx.deps.models;
      if (body.creditCode && (await Business.exists({ creditCode: body.creditCode }))) {
        throw conflict('BUSINESS_EXISTS', '该统一社会信用代码已登记');
      }
      const created = await Business.create({
        ...body,
        platformId: body.creditCode ? undefined : newPlatformId(),
        location: body.location ? locationAt(body.location) : undefined,
      });
      ctx.status = 201;
      ctx.body = presentBusinessForStaff(created.toObject() as BusinessAdminFields);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/businesses/:id',
    summary: '经营者详情',
    access: STAFF,
    params: IdParams,
    async handler(ctx, input) {
      ctx.body = presentBusinessForStaff(await loadVisibleBusiness(ctx.deps.models, ctx.state.user, input.params.id));
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/admin/businesses/:id',
    summary: '修改经营者信息',
    access: STAFF,
    params: IdParams,
    body: UpdateBusiness,
    async handler(ctx, input) {
      const { id } = input.params;
      const changes = input.body;
      ctx.body = presentBusinessForStaff(await updateBusiness(ctx.deps.models, ctx.state.user, id, changes));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/admin/businesses/:id',
    summary: '删除经营者（仅限没有器具的经营者；否则请标记为停业）',
    access: STAFF,
    params: IdParams,
    async handler(ctx, input) {
      const { id } = input.params;
      await deleteBusiness(ctx.deps.models, ctx.state.user, id);
      ctx.status = 204;
    },
  }),
];
