import { Alert, Button, Descriptions, Drawer, Space, Table, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { ListResponse } from '@shared/api';
import { regionPath } from '@shared/regions';
import { api } from '../api/endpoints';
import type { StaffBusiness, StaffInstrument } from '../api/types';
import { VerificationHistory } from '../components/VerificationHistory';
import { LIFECYCLE_NAMES, VERIFICATION_NAMES, VERIFICATION_ORDER, BUSINESS_STATUS_NAMES } from '../statusNames';

interface Props {
  /** The business shown; null closes the drawer. */
  id: string | null;
  /** Changes after the business (or one of its instruments) was saved elsewhere. */
  reload?: number;
  onClose(): void;
  onEdit(business: StaffBusiness): void;
  onNewInstrument(business: StaffBusiness): void;
}

interface Loaded {
  business: StaffBusiness;
  /** The first instruments, with the total. */
  instruments: ListResponse<StaffInstrument>;
  /** How many instruments are in each verification status today. */
  counts: Record<StaffInstrument['verificationStatus'], number>;
}

type State = { id: string; loading: true } | { id: string; loading: false; error: string } | ({ id: string; loading: false } & Loaded);

const SHORT_LIST = 5;

async function loadBusiness(id: string, signal: AbortSignal): Promise<Loaded> {
  const [business, instruments, ...totals] = await Promise.all([
    api.business(id),
    api.instruments({ business: id, pageSize: SHORT_LIST }, signal),
    ...VERIFICATION_ORDER.map((status) => api.instruments({ business: id, status, pageSize: 1 }, signal).then((l) => l.total)),
  ]);
  const counts = Object.fromEntries(VERIFICATION_ORDER.map((s, i) => [s, totals[i]])) as Loaded['counts'];
  return { business, instruments, counts };
}

/** A business with its instruments (counted by verification status) and its verification history. */
export function BusinessDetail({ id, reload = 0, onClose, onEdit, onNewInstrument }: Props) {
  const [state, setState] = useState<State | null>(null);
  const [retry, setRetry] = useState(0);

  useEffect(() => {
    if (!id) return;
    const ctrl = new AbortController();
    setState({ id, loading: true });
    loadBusiness(id, ctrl.signal)
      .then((loaded) => setState({ id, loading: false, ...loaded }))
      .catch((err: Error) => {
        if (err.name !== 'AbortError') setState({ id, loading: false, error: err.message });
      });
    return () => ctrl.abort();
  }, [id, reload, retry]);

  const shown = state && state.id === id ? state : null;
  const loaded = shown && 'business' in shown ? shown : null;
  const business = loaded?.business;
  const scope = useMemo(() => (id ? { business: id } : null), [id]);

  return (
    <Drawer
      open={Boolean(id)}
      title={business ? `经营者：${business.name}` : '经营者详情'}
      size={920}
      onClose={onClose}
      destroyOnHidden
      extra={
        business && (
          <Space>
            <Button onClick={() => onEdit(business)}>编辑</Button>
            <Button type="primary" onClick={() => onNewInstrument(business)}>
              新建器具
            </Button>
          </Space>
        )
      }
    >
      <div aria-live="polite" className="sr-status">
        {!shown || shown.loading ? '正在加载经营者…' : business ? `已加载：${business.name}` : ''}
      </div>
      {(!shown || shown.loading) && (
        <div className="loading" role="status">
          正在加载…
        </div>
      )}
      {shown && 'error' in shown && (
        <Alert type="error" showIcon role="alert" title={`未能加载该经营者：${shown.error}`} action={<Button onClick={() => setRetry((n) => n + 1)}>重试</Button>} />
      )}
      {loaded && business && (
        <>
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: 'name', label: '名称', children: business.name },
              { key: 'creditCode', label: business.creditCode ? '统一社会信用代码' : '平台编号', children: business.creditCode ?? business.platformId ?? '—' },
              { key: 'industry', label: '行业', children: business.industryName },
              { key: 'region', label: '地区', children: regionPath(business.regionCode).join(' / ') || business.regionName },
              { key: 'address', label: '地址', children: business.address || '—' },
              { key: 'status', label: '状态', children: <Tag>{BUSINESS_STATUS_NAMES[business.status]}</Tag> },
              {
                key: 'contacts',
                label: '联系人',
                children: business.contacts.length ? business.contacts.map((c) => `${c.name} ${c.phone}`).join('；') : '—',
              },
            ]}
          />

          <h3 className="detail__section" id="business-instruments">
            计量器具（共 {loaded.instruments.total} 台）
          </h3>
          <ul className="detail__counts" aria-label="按检定状态">
            {VERIFICATION_ORDER.map((s) => (
              <li key={s}>
                {VERIFICATION_NAMES[s]}：{loaded.counts[s]} 台
              </li>
            ))}
          </ul>
          <Table<StaffInstrument>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={loaded.instruments.items}
            locale={{ emptyText: '暂无器具' }}
            columns={[
              { title: '识别码', dataIndex: 'code', key: 'code', render: (code: string, i) => <Link to={`/instruments?detail=${i.id}`}>{code}</Link> },
              { title: '类别', dataIndex: 'categoryName', key: 'categoryName' },
              { title: '检定状态', dataIndex: 'verificationStatus', key: 'verificationStatus', render: (s: StaffInstrument['verificationStatus']) => <Tag>{VERIFICATION_NAMES[s] ?? s}</Tag> },
              { title: '有效期至', key: 'dueDate', render: (_: unknown, i) => i.latestVerification?.dueDate ?? '—' },
              { title: '使用状态', dataIndex: 'status', key: 'status', render: (s: StaffInstrument['status']) => LIFECYCLE_NAMES[s] ?? s },
            ]}
          />
          <p style={{ marginTop: 8 }}>
            <Link to={`/instruments?business=${business.id}`}>
              {loaded.instruments.total > SHORT_LIST ? `查看全部 ${loaded.instruments.total} 台器具` : '在器具列表中查看'}
            </Link>
          </p>

          <h3 className="detail__section">检定记录</h3>
          {scope && <VerificationHistory scope={scope} reload={reload} label="该经营者的检定记录" />}
        </>
      )}
    </Drawer>
  );
}
