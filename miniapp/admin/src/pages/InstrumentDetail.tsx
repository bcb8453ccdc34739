import { Alert, App, Button, Descriptions, Drawer, Popconfirm, Space, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useHref, useNavigate } from 'react-router-dom';
import type { AdminVerificationItem } from '@shared/api';
import { api } from '../api/endpoints';
import { RequestError } from '../api/transport';
import type { StaffBusiness, StaffInstrument } from '../api/types';
import { VerificationHistory } from '../components/VerificationHistory';
import { LIFECYCLE_NAMES, RESULT_NAMES, VERIFICATION_NAMES } from '../statusNames';

interface Props {
  /** The instrument shown; null closes the drawer. */
  id: string | null;
  /** Changes after the instrument was saved elsewhere (the form). */
  reload?: number;
  onClose(): void;
  onEdit(instrument: StaffInstrument): void;
  /** After a status change made here, so the list can refresh. */
  onChanged(): void;
}

interface Loaded {
  instrument: StaffInstrument;
  business: StaffBusiness | null;
  /** The newest verification (institution and certificate of the current one). */
  current: AdminVerificationItem | null;
}

type State = { id: string; loading: true } | { id: string; loading: false; error: string } | ({ id: string; loading: false } & Loaded);

async function loadInstrument(id: string, signal: AbortSignal): Promise<Loaded> {
  const [instrument, history] = await Promise.all([api.instrument(id, signal), api.verifications({ instrumentId: id, pageSize: 1 }, signal)]);
  const business = await api.business(instrument.businessId).catch(() => null);
  return { instrument, business, current: history.items[0] ?? null };
}

/** An instrument: its fields, its current verification, its whole verification history, and what may be done with it. */
export function InstrumentDetail({ id, reload = 0, onClose, onEdit, onChanged }: Props) {
  const { message } = App.useApp();
  const [state, setState] = useState<State | null>(null);
  const [again, setAgain] = useState(0);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    if (!id) return;
    const ctrl = new AbortController();
    setState({ id, loading: true });
    setActionError(null);
    loadInstrument(id, ctrl.signal)
      .then((loaded) => setState({ id, loading: false, ...loaded }))
      .catch((err: Error) => {
        if (err.name !== 'AbortError') setState({ id, loading: false, error: err.message });
      });
    return () => ctrl.abort();
  }, [id, reload, again]);

  const shown = state && state.id === id ? state : null;
  const loaded = shown && 'instrument' in shown ? shown : null;
  const instrument = loaded?.instrument;
  const scope = useMemo(() => (id ? { instrumentId: id } : null), [id]);
  const navigate = useNavigate();
  const labelsPath = `/labels?ids=${id ?? ''}`;
  const labelsHref = useHref(labelsPath);

  const setStatus = async (status: StaffInstrument['status']) => {
    if (!instrument) return;
    setBusy(true);
    setActionError(null);
    try {
      await api.updateInstrument(instrument.id, { status });
      message.success(`已将 ${instrument.code} 设为${LIFECYCLE_NAMES[status]}`);
      setAgain((n) => n + 1);
      onChanged();
    } catch (err) {
      if (!(err instanceof RequestError && err.code === 'UNAUTHENTICATED')) setActionError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const current = loaded?.current;
  const latest = instrument?.latestVerification;

  return (
    <Drawer
      open={Boolean(id)}
      title={instrument ? `计量器具：${instrument.code}` : '计量器具详情'}
      size={820}
      onClose={onClose}
      destroyOnHidden
      extra={
        instrument && (
          <Space wrap>
            <Button onClick={() => onEdit(instrument)}>
              编辑
            </Button>
            <Button
              href={labelsHref}
              onClick={(e) => {
                e.preventDefault();
                navigate(labelsPath);
              }}
            >
              打印标签
            </Button>
            {instrument.status === 'in_use' && (
              <Popconfirm title={`停用 ${instrument.code}？`} description="停用后扫码显示“已停用”，可随时恢复在用。" okText="停用" cancelText="取消" onConfirm={() => setStatus('suspended')}>
                <Button loading={busy}>停用</Button>
              </Popconfirm>
            )}
            {instrument.status === 'suspended' && (
              <Popconfirm title={`恢复 ${instrument.code} 为在用？`} okText="恢复在用" cancelText="取消" onConfirm={() => setStatus('in_use')}>
                <Button loading={busy}>恢复在用</Button>
              </Popconfirm>
            )}
            {instrument.status !== 'retired' && (
              <Popconfirm
                title={`报废 ${instrument.code}？`}
                description="报废的器具不再使用，检定记录保留。"
                okText="报废"
                okButtonProps={{ danger: true }}
                cancelText="取消"
                onConfirm={() => setStatus('retired')}
              >
                <Button danger loading={busy}>
                  报废
                </Button>
              </Popconfirm>
            )}
          </Space>
        )
      }
    >
      <div aria-live="polite" className="sr-status">
        {!shown || shown.loading ? '正在加载器具…' : instrument ? `已加载：${instrument.code}，${LIFECYCLE_NAMES[instrument.status]}` : ''}
      </div>
      {(!shown || shown.loading) && (
        <div className="loading" role="status">
          正在加载…
        </div>
      )}
      {shown && 'error' in shown && (
        <Alert type="error" showIcon role="alert" title={`未能加载该器具：${shown.error}`} action={<Button onClick={() => setAgain((n) => n + 1)}>重试</Button>} />
      )}
      {actionError && <Alert type="error" showIcon role="alert" title={actionError} style={{ marginBottom: 12 }} />}
      {loaded && instrument && (
        <>
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: 'code', label: '识别码', children: instrument.code },
              { key: 'externalCodes', label: '外部编码', children: instrument.externalCodes.length ? instrument.externalCodes.join('、') : '—' },
              { key: 'category', label: '器具类别', children: instrument.categoryName },
              {
                key: 'business',
                label: '经营者',
                children: <Link to={`/businesses?detail=${instrument.businessId}`}>{loaded.business?.name ?? '查看经营者'}</Link>,
              },
              { key: 'model', label: '型号', children: instrument.model || '—' },
              { key: 'serial', label: '出厂编号', children: instrument.serial || '—' },
              { key: 'manufacturer', label: '制造商', children: instrument.manufacturer || '—' },
              { key: 'installLocation', label: '安装位置', children: instrument.installLocation || '—' },
              { key: 'status', label: '使用状态', children: <Tag>{LIFECYCLE_NAMES[instrument.status]}</Tag> },
              { key: 'verificationStatus', label: '检定状态（今日）', children: <Tag>{VERIFICATION_NAMES[instrument.verificationStatus]}</Tag> },
            ]}
          />

          <h3 className="detail__section">当前检定</h3>
          {latest && current ? (
            <Descriptions
              bordered
              size="small"
              column={2}
              items={[
                { key: 'result', label: '结论', children: <Tag>{RESULT_NAMES[latest.result]}</Tag> },
                { key: 'date', label: '检定日期', children: latest.date },
                { key: 'due', label: '有效期至', children: latest.dueDate ?? '不需周期检定' },
                { key: 'institution', label: '检定机构', children: current.institution },
                { key: 'certificateNo', label: '证书编号', children: current.certificateNo, span: 2 },
              ]}
            />
          ) : (
            <p>暂无检定记录</p>
          )}

          <h3 className="detail__section">检定历史</h3>
          {scope && <VerificationHistory scope={scope} reload={reload + again} label="该器具的检定记录" />}
        </>
      )}
    </Drawer>
  );
}
