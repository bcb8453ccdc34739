import { Alert, Form, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { StaffUserView } from '@shared/api';
import { fieldErrors } from '@shared/messages';
import { MIN_PASSWORD_LENGTH, UpdateUser } from '@shared/requests/users';
import { api } from '../../api/endpoints';
import { RequestError } from '../../api/transport';
import { userServerFieldErrors } from '../../forms/user';
import { PasswordField } from './PasswordField';

interface Props {
  user: StaffUserView | null;
  onClose(): void;
  onDone(user: StaffUserView): void;
}

/** Sets a new password for an account (typed or 生成); the account must then sign in again with it. */
export function ResetPasswordModal({ user, onClose, onDone }: Props) {
  const [form] = Form.useForm<{ password?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!user) return;
    form.resetFields();
    setError(null);
  }, [user, form]);

  const submit = async () => {
    if (!user) return;
    const body = { password: form.getFieldValue('password') ?? '' };
    const errors = fieldErrors(UpdateUser, body);
    form.setFields([{ name: 'password', errors: errors.password ? [errors.password] : [] }]);
    if (errors.password) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await api.updateUser(user.id, body);
      form.resetFields();
      onDone(saved);
    } catch (err) {
      const fields = err instanceof RequestError ? userServerFieldErrors(err) : {};
      form.setFields([{ name: 'password', errors: fields.password ? [fields.password] : [] }]);
      if (!fields.password && !(err instanceof RequestError && err.code === 'UNAUTHENTICATED')) setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={user != null}
      title={user ? `重置密码：${user.displayName ?? user.username}（${user.username}）` : '重置密码'}
      okText="确认重置"
      cancelText="取消"
      confirmLoading={busy}
      onOk={submit}
      onCancel={onClose}
      maskClosable={false}
      forceRender
    >
      <Typography.Paragraph>
        新密码保存后立即生效：该用户须用新密码重新登录，原来的登录会话将失效。请把新密码当面或通过可靠渠道告知本人。
      </Typography.Paragraph>
      <div aria-live="assertive">{error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}</div>
      <Form form={form} name="reset" layout="vertical" onFinish={submit}>
        <PasswordField form={form} formName="reset" label="新密码" extra={`至少 ${MIN_PASSWORD_LENGTH} 位，以明文显示。`} />
        <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
      </Form>
    </Modal>
  );
}
