import { Alert, Button, Drawer, Space } from 'antd';
import type { ReactNode } from 'react';
import { RequestError } from '../api/transport';

interface Props {
  open: boolean;
  title: string;
  size?: number;
  busy: boolean;
  /** A problem that belongs to no field, shown once above the form (announced to screen readers). */
  error: string | null;
  onCancel(): void;
  onSave(): void;
  children: ReactNode;
}

/**
 * The drawer every create/edit form of the workspace sits in: 取消 and 保存 at the top right, the
 * form's general error above it, kept rendered while closed so the form keeps its state.
 */
export function FormDrawer({ open, title, size = 520, busy, error, onCancel, onSave, children }: Props) {
  return (
    <Drawer
      open={open}
      title={title}
      size={size}
      onClose={onCancel}
      forceRender
      maskClosable={false}
      extra={
        <Space>
          <Button onClick={onCancel}>取消</Button>
          <Button type="primary" loading={busy} onClick={onSave}>
            保存
          </Button>
        </Space>
      }
    >
      <div aria-live="assertive">{error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}</div>
      {children}
    </Drawer>
  );
}

/**
 * What a failed save says above the form: nothing when the server's errors were placed under their
 * fields or the session ended (the login page takes over), else the server's message, else ours.
 */
export function saveFailureMessage(err: unknown, placedUnderFields: boolean): string | null {
  if (!(err instanceof RequestError)) return '保存失败，请稍后再试';
  return placedUnderFields || err.code === 'UNAUTHENTICATED' ? null : err.message;
}
