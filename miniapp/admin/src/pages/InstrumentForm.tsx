import { Button, Form, Input, Select, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { CATEGORIES } from '@shared/catalogue';
import { CreateInstrument, UpdateInstrument } from '@shared/requests/instruments';
import { MAX_EXTERNAL_CODE_LENGTH } from '@shared/scan';
import { api } from '../api/endpoints';
import { FormDrawer, saveFailureMessage } from '../components/FormDrawer';
import { RequestError } from '../api/transport';
import type { SavedInstrument, StaffBusiness, StaffInstrument } from '../api/types';
import { clientErrors, FIELDS, hasErrors, instrumentRequest, serverErrors, type InstrumentErrors, type InstrumentFormValues } from '../forms/instrument';
import { useDraft } from '../forms/useDraft';

interface Props {
  open: boolean;
  /** The instrument being edited; none to register one. */
  editing: StaffInstrument | null;
  /** Creating: the business to preselect (the instruments list filtered by business, or the business drawer). */
  businessId?: string;
  onClose(): void;
  onSaved(instrument: SavedInstrument): void;
}

const MAX_EXTERNAL_CODES = 10;

interface BusinessOption {
  value: string;
  label: string;
}

const optionOf = (b: StaffBusiness): BusinessOption => ({ value: b.id, label: `${b.name}（${b.regionName}）` });

/**
 * Register or edit an instrument, checked with the BFF's own CreateInstrument / UpdateInstrument
 * before it is sent; every problem, ours or the server's (a code of another region, a taken
 * external code …), shows under its input. Drafts are kept like the business form's.
 */
export function InstrumentForm({ open, editing, businessId, onClose, onSaved }: Props) {
  const [form] = Form.useForm<InstrumentFormValues>();
  const draft = useDraft<InstrumentFormValues>(editing ? `instrument-edit-${editing.id}` : 'instrument-create');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<BusinessOption[]>([]);
  const [searching, setSearching] = useState(false);
  const search = useRef<{ timer?: ReturnType<typeof setTimeout>; ctrl?: AbortController }>({});
  const [codeCount, setCodeCount] = useState(0);

  const findBusinesses = (q: string) => {
    clearTimeout(search.current.timer);
    search.current.ctrl?.abort();
    search.current.timer = setTimeout(() => {
      const ctrl = new AbortController();
      search.current.ctrl = ctrl;
      setSearching(true);
      api
        .businesses({ q: q.trim() || undefined, pageSize: 20, status: 'active' }, ctrl.signal)
        .then((list) => setOptions((old) => merge(list.items.map(optionOf), old.filter((o) => o.value === form.getFieldValue('businessId')))))
        .catch(() => undefined)
        .finally(() => !ctrl.signal.aborted && setSearching(false));
    }, 250);
  };

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    const saved = draft.read();
    if (saved) form.setFieldsValue(saved);
    else if (editing)
      form.setFieldsValue({
        businessId: editing.businessId,
        category: editing.category,
        externalCodes: editing.externalCodes,
        model: editing.model ?? '',
        serial: editing.serial ?? '',
        manufacturer: editing.manufacturer ?? '',
        installLocation: editing.installLocation ?? '',
      });
    else if (businessId) form.setFieldsValue({ businessId });
    setCodeCount(form.getFieldValue('externalCodes')?.length ?? 0);
    // The chosen business needs an option to show its name; the list's first page gives the rest.
    const chosen = form.getFieldValue('businessId') as string | undefined;
    if (chosen) api.business(chosen).then((b) => setOptions((old) => merge([optionOf(b)], old))).catch(() => undefined);
    if (!editing) findBusinesses('');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, editing, businessId, form, draft]);

  const cancel = () => {
    draft.clear();
    form.resetFields();
    onClose();
  };

  const showErrors = (errors: InstrumentErrors) => {
    const codes = (form.getFieldValue('externalCodes') as unknown[] | undefined) ?? [];
    form.setFields([
      ...FIELDS.map((name) => ({ name, errors: errors.fields[name] ? [errors.fields[name]] : [] })),
      ...codes.map((_, i) => ({ name: ['externalCodes', i] as ['externalCodes', number], errors: errors.externalCodes[i] ? [errors.externalCodes[i]] : [] })),
    ]);
    setError(errors.fields.externalCodes ?? null);
  };

  const submit = async () => {
    const request = instrumentRequest(form.getFieldsValue(true), Boolean(editing));
    const errors = clientErrors(editing ? UpdateInstrument : CreateInstrument, request);
    showErrors(errors);
    if (hasErrors(errors)) return;
    setBusy(true);
    try {
      const saved = editing ? await api.updateInstrument(editing.id, request.body) : await api.createInstrument(request.body);
      draft.clear();
      form.resetFields();
      onSaved(saved);
    } catch (err) {
      const placed = err instanceof RequestError ? serverErrors(err, request) : null;
      if (placed) showErrors(placed);
      setError(saveFailureMessage(err, placed !== null && hasErrors(placed)));
    } finally {
      setBusy(false);
    }
  };

  const categoryOptions = useMemo(() => CATEGORIES.map((c) => ({ value: c.id, label: `${c.name}（${c.code}）` })), []);

  return (
    <FormDrawer open={open} title={editing ? `编辑器具：${editing.code}` : '新建器具'} size={560} busy={busy} error={error} onCancel={cancel} onSave={submit}>
      <Form<InstrumentFormValues>
        form={form}
        name="instrument"
        layout="vertical"
        onValuesChange={(changed, all) => {
          draft.save(changed, all);
          setCodeCount(all.externalCodes?.length ?? 0);
        }}
        onFinish={submit}
      >
        <Form.Item label="经营者" name="businessId" required extra={editing ? '器具登记后不能改到其他经营者名下。' : '输入名称或信用代码搜索本辖区的经营者。'}>
          <Select
            showSearch={{ filterOption: false, onSearch: findBusinesses }}
            options={options}
            loading={searching}
            disabled={Boolean(editing)}
            placeholder="搜索经营者"
            notFoundContent={searching ? '正在搜索…' : '没有匹配的经营者'}
          />
        </Form.Item>
        <Form.Item label="器具类别" name="category" required>
          <Select options={categoryOptions} disabled={Boolean(editing)} placeholder="选择类别" showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
        {editing ? (
          <Form.Item label="识别码">
            <Typography.Text code>{editing.code}</Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item label="识别码（可选）" name="code" extra="已有平台标签的填 19 位识别码；留空则由平台按经营者地区和类别签发。">
            <Input maxLength={19} inputMode="numeric" />
          </Form.Item>
        )}
        <Form.List name="externalCodes">
          {(fields, { add, remove }) => (
            <fieldset className="form-fieldset">
              <legend>外部编码（其他系统的编号，如省级平台编码、出厂编号）</legend>
              {fields.length === 0 && <p className="form-fieldset__empty">暂无外部编码</p>}
              {fields.map((field, i) => (
                <div key={field.key} className="form-fieldset__row">
                  <Form.Item label={`外部编码 ${i + 1}`} name={field.name} style={{ flex: 1, marginBottom: 12 }}>
                    <Input maxLength={MAX_EXTERNAL_CODE_LENGTH} />
                  </Form.Item>
                  <Button onClick={() => remove(field.name)} aria-label={`删除外部编码 ${i + 1}`} style={{ marginTop: 30 }}>
                    删除
                  </Button>
                </div>
              ))}
              <Button onClick={() => add('')} disabled={codeCount >= MAX_EXTERNAL_CODES}>
                添加外部编码
              </Button>
            </fieldset>
          )}
        </Form.List>
        <Form.Item label="型号" name="model">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label="出厂编号" name="serial">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label="制造商" name="manufacturer">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item label="安装位置" name="installLocation">
          <Input maxLength={200} />
        </Form.Item>
        <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
      </Form>
    </FormDrawer>
  );
}

function merge(first: BusinessOption[], rest: BusinessOption[]): BusinessOption[] {
  const seen = new Set<string>();
  return [...first, ...rest].filter((o) => !seen.has(o.value) && (seen.add(o.value), true));
}
