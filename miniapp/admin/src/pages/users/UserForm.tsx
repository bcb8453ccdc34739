import { Descriptions, Form, Input, Select } from 'antd';
import { useEffect, useState } from 'react';
import type { StaffUserView } from '@shared/api';
import { CreateUser, MIN_PASSWORD_LENGTH, UpdateUser } from '@shared/requests/users';
import { api } from '../../api/endpoints';
import { FormDrawer, saveFailureMessage } from '../../components/FormDrawer';
import { RequestError } from '../../api/transport';
import { RegionPicker } from '../../components/RegionPicker';
import {
  CREATABLE_ROLES,
  createUserBody,
  updateUserBody,
  USER_FIELDS,
  USER_ROLE_NAMES,
  userFieldErrors,
  userServerFieldErrors,
  type UserFormValues,
} from '../../forms/user';
import { useDraft } from '../../forms/useDraft';
import { PasswordField } from './PasswordField';

interface Props {
  open: boolean;
  /** The account being edited; none to create one. */
  editing: StaffUserView | null;
  onClose(): void;
  onSaved(user: StaffUserView, created: boolean): void;
}

/**
 * Create a staff account (the role first, then that role's fields) or edit one (name, a
 * regulator's region, a verifier's institution). Checked with the BFF's own zod schema before
 * it is sent; each problem, ours or the server's (USERNAME_TAKEN), shows under its field. What
 * is typed is kept as a draft, except the password, which never goes to storage.
 */
export function UserForm({ open, editing, onClose, onSaved }: Props) {
  const [form] = Form.useForm<UserFormValues>();
  const draft = useDraft<UserFormValues>(editing ? `user-edit-${editing.id}` : 'user-create');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = Form.useWatch('role', form);
  const role = editing ? editing.role : chosen;

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    const saved = draft.read();
    if (saved) form.setFieldsValue(saved);
    else if (editing) form.setFieldsValue({ displayName: editing.displayName ?? '', regionCode: editing.regionCode ?? undefined, institution: editing.institution ?? '' });
    else form.setFieldsValue({ role: 'regulator' });
  }, [open, editing, form, draft]);

  const cancel = () => {
    draft.clear();
    onClose();
  };

  const showErrors = (errors: Record<string, string>) =>
    form.setFields(USER_FIELDS.map((name) => ({ name, errors: errors[name] ? [errors[name]] : [] })));

  const submit = async () => {
    const values = form.getFieldsValue();
    const body = editing ? updateUserBody(editing, values) : createUserBody(values);
    const errors = userFieldErrors(editing ? UpdateUser : CreateUser, body);
    showErrors(errors);
    if (errors['']) setError(errors['']);
    if (Object.keys(errors).length) return;
    setBusy(true);
    setError(null);
    try {
      const saved = editing ? await api.updateUser(editing.id, body) : await api.createUser(body);
      draft.clear();
      form.resetFields();
      onSaved(saved, !editing);
    } catch (err) {
      const fields = err instanceof RequestError ? userServerFieldErrors(err) : {};
      showErrors(fields);
      setError(saveFailureMessage(err, Object.keys(fields).length > 0));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDrawer open={open} title={editing ? `编辑账号：${editing.username}` : '新建用户'} size={520} busy={busy} error={error} onCancel={cancel} onSave={submit}>
      {editing && (
        <Descriptions
          size="small"
          column={1}
          style={{ marginBottom: 16 }}
          items={[
            { key: 'username', label: '用户名', children: editing.username },
            { key: 'role', label: '角色', children: USER_ROLE_NAMES[editing.role] },
          ]}
        />
      )}
      <Form<UserFormValues>
        form={form}
        name="user"
        layout="vertical"
        onValuesChange={(_changed, all) => draft.save(_changed, { ...all, password: undefined })}
        onFinish={submit}
      >
        {!editing && (
          <>
            <Form.Item label="角色" name="role" required>
              <Select options={CREATABLE_ROLES.map((r) => ({ value: r, label: USER_ROLE_NAMES[r] }))} />
            </Form.Item>
            <Form.Item label="用户名" name="username" required extra="登录时填写；3 至 32 位字母、数字、下划线、点或连字符。">
              <Input maxLength={32} autoComplete="off" spellCheck={false} />
            </Form.Item>
          </>
        )}
        <Form.Item label="显示名称" name="displayName" extra="显示在工作台页头，如“历下区市场监管局”。">
          <Input maxLength={50} />
        </Form.Item>
        {role === 'regulator' && (
          <Form.Item label="辖区" name="regionCode" required extra="可选省、市或区县：监管人员只能看到辖区内的数据。">
            <RegionPicker anyLevel placeholder="选择省、市或区县" />
          </Form.Item>
        )}
        {role === 'verifier' && (
          <Form.Item label="检定机构" name="institution" required>
            <Input maxLength={100} />
          </Form.Item>
        )}
        {!editing && (
          <PasswordField
            form={form}
            label="初始密码"
            extra={`至少 ${MIN_PASSWORD_LENGTH} 位。密码以明文显示，便于交给本人；请本人登录后妥善保管。`}
          />
        )}
        <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
      </Form>
    </FormDrawer>
  );
}
