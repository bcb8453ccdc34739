import { Button, Form, Input, Space, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { generatePassword } from '../../forms/user';

interface Props {
  // Any form with a `password` field.
  form: FormInstance<{ password?: string }> | FormInstance;
  /** The form's `name`: the input's id is `<formName>_password`, which the label points to. */
  formName?: string;
  label: string;
  extra?: ReactNode;
}

/**
 * A password an admin sets for someone else: typed or made by 生成 (16 random characters),
 * shown in clear so it can be handed over. Its errors show under it like any field's.
 */
export function PasswordField({ form, formName = 'user', label, extra }: Props) {
  const id = `${formName}_password`;
  return (
    <Form.Item label={label} htmlFor={id} required extra={extra}>
      <Space.Compact style={{ width: '100%' }}>
        <Form.Item name="password" noStyle>
          <Input id={id} autoComplete="off" spellCheck={false} maxLength={256} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }} />
        </Form.Item>
        <Button onClick={() => form.setFields([{ name: 'password', value: generatePassword(), errors: [] }])}>生成</Button>
      </Space.Compact>
    </Form.Item>
  );
}
