import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { COMPLAINT_CATEGORIES, COMPLAINT_LIMITS, type ComplaintCategory } from '@shared/complaints';
import { fieldErrors, issueText } from '@shared/messages';
import { CreateComplaint, type CreateComplaintBody } from '@shared/requests/complaints';
import type { ComplaintCreated } from '@shared/api';
import { NotFound } from '../../components/StateView';
import { PhotoPicker, type PickedPhoto } from '../../components/PhotoPicker';
import { submitComplaint } from '../../services/api/complaints';
import { asApiError, NETWORK_ERROR, type ApiError } from '../../services/api/transport';
import { readComplaintTarget, type ComplaintTarget } from './target';
import { pressable, whileSending } from '../../components/Pressable';
import './index.scss';

const isH5 = process.env.TARO_ENV === 'h5';

interface FormValues {
  category: ComplaintCategory | '';
  content: string;
  contact: string;
  photos: PickedPhoto[];
}

type Field = 'category' | 'content' | 'contact' | 'photos';

/** The request body the form's values make, exactly as the BFF will validate it. */
function complaintBody(target: ComplaintTarget, values: FormValues): CreateComplaintBody {
  return {
    ...(target.code ? { instrumentCode: target.code } : { businessId: target.businessId }),
    category: (values.category || undefined) as ComplaintCategory,
    content: values.content,
    contact: values.contact.trim() ? values.contact : undefined,
    photos: values.photos.flatMap((p) => (p.id ? [p.id] : [])),
  };
}

/** The BFF's VALIDATION_FAILED details (`[{ path, message }]`) as one message per form field. */
function serverFieldErrors(error: ApiError, local: Record<string, string>): Record<string, string> {
  const details = Array.isArray(error.details) ? (error.details as Array<{ path?: string; message?: string }>) : [];
  const errors: Record<string, string> = {};
  for (const detail of details) {
    const field = String(detail.path ?? '').split('.')[0];
    if (!field || field in errors) continue;
    errors[field] = local[field] ?? issueText({ code: 'custom', message: String(detail.message ?? '') });
  }
  return errors;
}

function waitText(error: ApiError): string {
  const seconds = Number((error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds);
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  return seconds < 60 ? `（请在 ${Math.ceil(seconds)} 秒后再试）` : `（请在约 ${Math.ceil(seconds / 60)} 分钟后再试）`;
}

function submitErrorText(error: ApiError): string {
  if (error.status === 429) return `提交太频繁，请稍后再试${waitText(error)}`;
  if (error.code === NETWORK_ERROR) return '网络连接失败，投诉未提交，请检查网络后重试';
  if (error.code === 'VALIDATION_FAILED') return '有内容需要修改，请查看标红的提示';
  return `投诉未提交：${error.message}`;
}

/** A field's message, next to it, announced when it appears. */
function FieldError({ id, text }: { id: string; text?: string }) {
  if (!text) return null;
  return (
    <View id={id} className='field-error' role='alert'>
      {text}
    </View>
  );
}

function CategoryChoice({ value, onChange, error }: { value: FormValues['category']; onChange: (c: ComplaintCategory) => void; error?: string }) {
  return (
    <View className='field'>
      <Text id='complaint-category-label' className='field__label'>
        投诉类型<Text className='field__required'>（必选）</Text>
      </Text>
      <View className='choices' role='radiogroup' aria-labelledby='complaint-category-label' aria-describedby={error ? 'complaint-category-error' : undefined}>
        {COMPLAINT_CATEGORIES.map((category) => {
          const checked = value === category.id;
          return (
            <View
              key={category.id}
              className={`choice${checked ? ' choice--checked' : ''}`}
              role='radio'
              aria-checked={checked ? 'true' : 'false'}
              data-category={category.id}
              onClick={() => onChange(category.id)}
              {...pressable(() => onChange(category.id), 'radio')}
            >
              <View className='choice__dot' aria-hidden='true'>
                {checked && <View className='choice__dot-inner' />}
              </View>
              <Text className='choice__text'>{category.name}</Text>
            </View>
          );
        })}
      </View>
      <FieldError id='complaint-category-error' text={error} />
    </View>
  );
}

function Success({ created }: { created: ComplaintCreated }) {
  const copy = () => Taro.setClipboardData({ data: created.trackingNo }).catch(() => undefined);
  const openProgress = () => Taro.navigateTo({ url: `/pages/complaint-detail/index?trackingNo=${encodeURIComponent(created.trackingNo)}` });
  const openMine = () => Taro.navigateTo({ url: '/pages/my-complaints/index' });
  return (
    <View className='success' role='status'>
      <Text className='success__icon' aria-hidden='true'>
        ✓
      </Text>
      <Text className='success__title'>投诉已提交</Text>
      <Text className='success__text'>监管部门会依法处理，每次进展都会记录在投诉进度里。请记下查询编号：</Text>
      <Text className='success__tracking' selectable userSelect>
        {created.trackingNo}
      </Text>
      <Button className='success__copy' onClick={copy} {...pressable(copy)}>
        复制查询编号
      </Button>
      <Button className='form__submit' onClick={openProgress} {...pressable(openProgress)}>
        查看投诉进度
      </Button>
      <Button className='form__secondary' onClick={openMine} {...pressable(openMine)}>
        我的投诉
      </Button>
    </View>
  );
}

function ComplaintForm({ target, onCreated }: { target: ComplaintTarget; onCreated: (created: ComplaintCreated) => void }) {
  const [values, setValues] = useState<FormValues>({ category: target.category ?? '', content: '', contact: '', photos: [] });
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [attempted, setAttempted] = useState(false);
  const [sending, setSending] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string | null>(null);

  const localErrors = fieldErrors(CreateComplaint, complaintBody(target, values));
  const errorOf = (field: Field): string | undefined => serverErrors[field] ?? (attempted || touched[field] ? localErrors[field] : undefined);

  const change = <K extends Field>(field: K, value: FormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    setServerErrors(({ [field]: _dropped, ...rest }) => rest);
  };
  const touch = (field: Field) => setTouched((current) => ({ ...current, [field]: true }));
  const uploading = values.photos.some((p) => !p.id);

  const submit = async () => {
    if (sending) return;
    setAttempted(true);
    setSubmitError(null);
    if (Object.keys(localErrors).length > 0) return;
    if (uploading) {
      setSubmitError('照片还在上传，请稍候再提交');
      return;
    }
    setSending(true);
    try {
      onCreated(await submitComplaint(complaintBody(target, values)));
    } catch (cause) {
      const error = asApiError(cause);
      if (error.code === 'VALIDATION_FAILED') setServerErrors(serverFieldErrors(error, localErrors));
      setSubmitError(submitErrorText(error));
    } finally {
      setSending(false);
    }
  };

  const contentError = errorOf('content');
  const contactError = errorOf('contact');
  const targetError = localErrors.instrumentCode ?? serverErrors.instrumentCode ?? serverErrors.businessId;
  return (
    <View className='form'>
      <View className='form__target'>
        <Text className='form__target-label'>投诉对象</Text>
        <Text className='form__target-name'>{target.name ?? (target.code ? '计量器具' : '经营者')}</Text>
        {target.code && <Text className='form__target-code'>器具识别码 {target.code}</Text>}
        <FieldError id='complaint-target-error' text={attempted ? targetError : undefined} />
      </View>

      <CategoryChoice value={values.category} onChange={(c) => change('category', c)} error={errorOf('category')} />

      <View className='field'>
        <Text id='complaint-content-label' className='field__label'>
          情况描述<Text className='field__required'>（必填，{COMPLAINT_LIMITS.contentMin}–{COMPLAINT_LIMITS.contentMax} 字）</Text>
        </Text>
        <Textarea
          className={`field__textarea${contentError ? ' field__control--invalid' : ''}`}
          value={values.content}
          maxlength={COMPLAINT_LIMITS.contentMax}
          placeholder='请写明时间、经过和涉及的商品，例如：买了2斤苹果，回家复称只有1.6斤'
          onInput={(e) => change('content', e.detail.value)}
          onBlur={() => touch('content')}
          nativeProps={
            isH5
              ? {
                  id: 'complaint-content',
                  'aria-labelledby': 'complaint-content-label',
                  // axe reads a labelledby target scrolled out of Taro's page container as hidden; the name stays the same.
                  'aria-label': '情况描述',
                  'aria-describedby': contentError ? 'complaint-content-error complaint-content-count' : 'complaint-content-count',
                  'aria-invalid': contentError ? 'true' : 'false',
                  'aria-required': 'true',
                }
              : undefined
          }
        />
        <Text id='complaint-content-count' className='field__counter'>
          {values.content.length}/{COMPLAINT_LIMITS.contentMax}
        </Text>
        <FieldError id='complaint-content-error' text={contentError} />
      </View>

      <View className='field'>
        <Text id='complaint-photos-label' className='field__label'>
          照片<Text className='field__required'>（选填）</Text>
        </Text>
        <PhotoPicker photos={values.photos} onChange={(update) => setValues((current) => ({ ...current, photos: update(current.photos) }))} labelId='complaint-photos-label' />
        <FieldError id='complaint-photos-error' text={errorOf('photos')} />
      </View>

      <View className='field'>
        <Text id='complaint-contact-label' className='field__label'>
          联系方式<Text className='field__required'>（选填）</Text>
        </Text>
        <Text id='complaint-contact-hint' className='field__hint'>
          手机号或微信号，仅监管部门可见，用于回访核实
        </Text>
        <Input
          className={`field__input${contactError ? ' field__control--invalid' : ''}`}
          value={values.contact}
          maxlength={COMPLAINT_LIMITS.contactMax}
          onInput={(e) => change('contact', e.detail.value)}
          onBlur={() => touch('contact')}
          nativeProps={
            isH5
              ? {
                  id: 'complaint-contact',
                  'aria-labelledby': 'complaint-contact-label',
                  'aria-label': '联系方式（选填）',
                  'aria-describedby': contactError ? 'complaint-contact-error complaint-contact-hint' : 'complaint-contact-hint',
                  'aria-invalid': contactError ? 'true' : 'false',
                }
              : undefined
          }
        />
        <FieldError id='complaint-contact-error' text={contactError} />
      </View>

      {submitError && (
        <View className='form__error' role='alert'>
          {submitError}
        </View>
      )}
      <Button className='form__submit' onClick={submit} {...pressable(submit)} {...whileSending(sending)}>
        {sending ? '正在提交…' : '提交投诉'}
      </Button>
    </View>
  );
}

export default function ComplaintPage() {
  const { params } = useRouter();
  const target = readComplaintTarget(params);
  const [created, setCreated] = useState<ComplaintCreated | null>(null);
  const showCreated = (answer: ComplaintCreated) => {
    setCreated(answer);
    Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
  };

  if (!target.code && !target.businessId) {
    return <NotFound title='缺少投诉对象' text='请从器具或经营者页面点“我要投诉”进入。' />;
  }
  return <View className='complaint'>{created ? <Success created={created} /> : <ComplaintForm target={target} onCreated={showCreated} />}</View>;
}
