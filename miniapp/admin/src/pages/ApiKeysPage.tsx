import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { fieldErrors } from '@shared/messages';
import { CreateApiKey } from '@shared/requests/apiKeys';
import { api } from '../api/endpoints';
import { RequestError } from '../api/transport';
import type { ApiKeyView } from '../api/types';
import { useList } from '../api/useList';
import { serverFieldErrors } from '../forms/business';
import { useDraft } from '../forms/useDraft';

const NO_QUERY = {};
const loadKeys = (_q: unknown, signal: AbortSignal) => api.apiKeys(signal);
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');

interface IssueValues {
  name?: string;
  institution?: string;
}

/** Admins: the verification institutions' API keys. A new key is shown once; revoking takes effect at once. */
export default function ApiKeysPage() {
  const { message } = App.useApp();
  const [reload, setReload] = useState(0);
  const { data, loading, error } = useList<ApiKeyView>(loadKeys, NO_QUERY, reload);
  const [form] = Form.useForm<IssueValues>();
  const draft = useDraft<IssueValues>('api-key-issue');
  const [issued, setIssued] = useState<(ApiKeyView & { key: string }) | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  // What was being typed before a login round trip comes back once, when the screen opens.
  useEffect(() => {
    const saved = draft.read();
    if (saved) form.setFieldsValue(saved);
  }, [draft, form]);

  const issue = async () => {
    const values = form.getFieldsValue();
    const body = { name: values.name?.trim() ?? '', institution: values.institution?.trim() ?? '' };
    const errors = fieldErrors(CreateApiKey, body);
    form.setFields((['name', 'institution'] as const).map((name) => ({ name, errors: errors[name] ? [errors[name]] : [] })));
    if (Object.keys(errors).length) return;
    setBusy(true);
    setFailure(null);
    try {
      setIssued(await api.issueApiKey(body));
      draft.clear();
      form.resetFields();
      setReload((n) => n + 1);
    } catch (err) {
      const fields = err instanceof RequestError ? serverFieldErrors(err) : {};
      form.setFields(Object.entries(fields).map(([name, msg]) => ({ name: name as keyof IssueValues, errors: [msg] })));
      if (!Object.keys(fields).length && !(err instanceof RequestError && err.code === 'UNAUTHENTICATED')) setFailure((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (key: ApiKeyView) => {
    try {
      await api.revokeApiKey(key.id);
      message.success(`已吊销：${key.name}`);
      setReload((n) => n + 1);
    } catch (err) {
      setFailure((err as Error).message);
    }
  };

  return (
    <section aria-labelledby="keys-title">
      <Typography.Title level={2} id="keys-title" style={{ fontSize: 20 }}>
        API 密钥
      </Typography.Title>
      <Card title={<h3 className="card-title">签发新密钥</h3>} style={{ marginBottom: 16 }}>
        <Form<IssueValues>
          form={form}
          name="api-key"
          layout="vertical"
          className="filters"
          onValuesChange={draft.save}
          onFinish={issue}
        >
          <Form.Item label="用途" name="name" required style={{ marginBottom: 0, minWidth: 260 }}>
            <Input maxLength={60} placeholder="如：济南院 LIMS 对接" />
          </Form.Item>
          <Form.Item label="检定机构" name="institution" required style={{ marginBottom: 0, minWidth: 300 }}>
            <Input maxLength={100} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            签发
          </Button>
        </Form>
      </Card>
      <div aria-live="assertive">{(failure || error) && <Alert type="error" showIcon role="alert" title={failure ?? error} style={{ marginBottom: 16 }} />}</div>
      <Table<ApiKeyView>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
        columns={[
          { title: '用途', dataIndex: 'name', key: 'name' },
          { title: '检定机构', dataIndex: 'institution', key: 'institution' },
          { title: '前缀', dataIndex: 'prefix', key: 'prefix', render: (p: string) => <code>{p}</code> },
          { title: '签发日期', dataIndex: 'createdAt', key: 'createdAt', render: day },
          { title: '最近使用', dataIndex: 'lastUsedAt', key: 'lastUsedAt', render: day },
          { title: '状态', key: 'state', render: (_: unknown, k: ApiKeyView) => (k.revokedAt ? <Tag>已吊销 {day(k.revokedAt)}</Tag> : <Tag>有效</Tag>) },
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, k: ApiKeyView) =>
              k.revokedAt ? null : (
                <Popconfirm title={`吊销「${k.name}」？`} description="吊销后使用此密钥的请求会立即被拒绝。" okText="吊销" cancelText="取消" onConfirm={() => revoke(k)}>
                  <Button danger aria-label={`吊销 ${k.name}`}>
                    吊销
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={issued != null}
        title="密钥已签发"
        onCancel={() => setIssued(null)}
        footer={<Button type="primary" onClick={() => setIssued(null)}>我已保存</Button>}
      >
        <Alert type="warning" showIcon title="密钥只显示这一次，请立即复制并交给检定机构妥善保存；遗失只能吊销后重新签发。" style={{ marginBottom: 16 }} />
        <Typography.Paragraph>
          {issued?.institution} · {issued?.name}
        </Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: issued?.key ?? '', tooltips: ['复制', '已复制'] }}>
          <code data-testid="issued-key">{issued?.key}</code>
        </Typography.Paragraph>
      </Modal>
    </section>
  );
}
