import { Form, Input, Select } from 'antd';
import { useEffect, useState } from 'react';
import { INDUSTRIES } from '@shared/catalogue';
import { fieldErrors } from '@shared/messages';
import { CreateBusiness, UpdateBusiness } from '@shared/requests/businesses';
import { api } from '../api/endpoints';
import { FormDrawer, saveFailureMessage } from '../components/FormDrawer';
import { RequestError } from '../api/transport';
import type { StaffBusiness } from '../api/types';
import { RegionPicker } from '../components/RegionPicker';
import { businessBody, FIELDS, serverFieldErrors, type BusinessFormValues } from '../forms/business';
import { useDraft } from '../forms/useDraft';

interface Props {
  open: boolean;
  /** The business being edited; none to create one. */
  editing: StaffBusiness | null;
  scopeCode?: string;
  onClose(): void;
  onSaved(business: StaffBusiness): void;
}

/**
 * Create or edit a business, checked with the BFF's own zod schema before it is sent; each
 * problem (ours or the server's) shows under its field. What is typed is kept as a draft in
 * sessionStorage, so a session that expires mid-form loses nothing.
 */
export function BusinessForm({ open, editing, scopeCode, onClose, onSaved }: Props) {
  const [form] = Form.useForm<BusinessFormValues>();
  const draft = useDraft<BusinessFormValues>(editing ? `business-edit-${editing.id}` : 'business-create');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    const saved = draft.read();
    if (saved) form.setFieldsValue(saved);
    else if (editing) form.setFieldsValue({ name: editing.name, creditCode: editing.creditCode ?? '', industry: editing.industry, regionCode: editing.regionCode, address: editing.address });
  }, [open, editing, form, draft]);

  const cancel = () => {
    draft.clear();
    onClose();
  };

  const showErrors = (errors: Record<string, string>) =>
    form.setFields(FIELDS.map((name) => ({ name, errors: errors[name] ? [errors[name]] : [] })));

  const submit = async () => {
    const values = form.getFieldsValue();
    const body = businessBody(values);
    if (editing && !editing.creditCode && !body.creditCode) delete body.creditCode;
    const errors = fieldErrors(editing ? UpdateBusiness : CreateBusiness, body);
    showErrors(errors);
    if (Object.keys(errors).length) return;
    setBusy(true);
    setError(null);
    try {
      const saved = editing ? await api.updateBusiness(editing.id, body) : await api.createBusiness(body);
      draft.clear();
      form.resetFields();
      onSaved(saved);
    } catch (err) {
      const fields = err instanceof RequestError ? serverFieldErrors(err) : {};
      showErrors(fields);
      setError(saveFailureMessage(err, Object.keys(fields).length > 0));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDrawer open={open} title={editing ? `编辑经营者：${editing.name}` : '新建经营者'} size={520} busy={busy} error={error} onCancel={cancel} onSave={submit}>
      <Form<BusinessFormValues> form={form} name="business" layout="vertical" onValuesChange={draft.save} onFinish={submit}>
        <Form.Item label="名称" name="name" required>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label="统一社会信用代码" name="creditCode" extra="18 位；个体摊位没有的可不填，平台会分配编号。">
          <Input maxLength={18} style={{ textTransform: 'uppercase' }} />
        </Form.Item>
        <Form.Item label="行业" name="industry" required>
          <Select options={INDUSTRIES.map((i) => ({ value: i.id, label: i.name }))} placeholder="选择行业" />
        </Form.Item>
        <Form.Item label="所在地区（区县）" name="regionCode" required>
          <RegionPicker scopeCode={scopeCode} placeholder="选择区县" />
        </Form.Item>
        <Form.Item label="地址" name="address">
          <Input maxLength={200} />
        </Form.Item>
        <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
      </Form>
    </FormDrawer>
  );
}
