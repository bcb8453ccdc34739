import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { COMPLAINT_LIMITS } from '@shared/complaints';
import { uploadComplaintPhoto } from '../../services/api/complaints';
import { asApiError, NETWORK_ERROR, type ApiError } from '../../services/api/transport';
import { pressable } from '../Pressable';
import './index.scss';

/** A photo the user picked: uploaded (with the server's id) or still on its way. */
export interface PickedPhoto {
  /** The local path chooseImage gave (a blob URL in H5), shown as the thumbnail. */
  localPath: string;
  /** Set once the upload answered 201. */
  id?: string;
}

export interface PhotoPickerProps {
  photos: PickedPhoto[];
  onChange: (change: (photos: PickedPhoto[]) => PickedPhoto[]) => void;
  /** Id of the element that names this field (its visible label). */
  labelId: string;
}

function uploadErrorText(error: ApiError): string {
  if (error.status === 415) return '只能上传 JPG、PNG 或 WebP 格式的图片';
  if (error.status === 413) return `图片太大，每张不能超过 ${COMPLAINT_LIMITS.photoBytes / 1024 / 1024} MB`;
  if (error.status === 429) return '上传太频繁，请稍后再试';
  if (error.code === NETWORK_ERROR) return '网络连接失败，图片未能上传，请重试';
  return `图片未能上传：${error.message}`;
}

const isH5 = process.env.TARO_ENV === 'h5';
const UNREADABLE = '未能读取所选文件，请选择 JPG、PNG 或 WebP 格式的图片';

/**
 * Up to COMPLAINT_LIMITS.photos photos, each uploaded as soon as it is picked and shown as a
 * thumbnail with 删除. A failed upload is not kept; its reason is shown next to the photos.
 */
export function PhotoPicker({ photos, onChange, labelId }: PhotoPickerProps) {
  const [error, setError] = useState<string | null>(null);
  const room = COMPLAINT_LIMITS.photos - photos.length;

  const upload = async (localPath: string) => {
    onChange((current) => [...current, { localPath }]);
    try {
      const uploaded = await uploadComplaintPhoto(localPath);
      onChange((current) => current.map((p) => (p.localPath === localPath ? { ...p, id: uploaded.id } : p)));
    } catch (cause) {
      onChange((current) => current.filter((p) => p.localPath !== localPath));
      setError(uploadErrorText(asApiError(cause)));
    }
  };

  const choose = async () => {
    if (room <= 0) return;
    setError(null);
    let chosen: Taro.chooseImage.SuccessCallbackResult;
    try {
      // A browser's file input already offers the camera; asking for both there would add Taro's own action sheet.
      chosen = await Taro.chooseImage({ count: room, sizeType: ['compressed'], sourceType: isH5 ? ['album'] : ['album', 'camera'] });
    } catch {
      return; // the user closed the picker
    }
    // In H5, Taro leaves out a file the browser cannot decode as an image (a text file, HEIC).
    if (chosen.tempFilePaths.length === 0) {
      setError(UNREADABLE);
      return;
    }
    await Promise.all(chosen.tempFilePaths.slice(0, room).map(upload));
  };

  const remove = (localPath: string) => onChange((current) => current.filter((p) => p.localPath !== localPath));

  return (
    <View className='photos' role='group' aria-labelledby={labelId}>
      <View className='photos__list'>
        {photos.map((photo, index) => (
          <View className='photos__item' key={photo.localPath}>
            <Image className='photos__thumb' src={photo.localPath} mode='aspectFill' nativeProps={isH5 ? { alt: `照片 ${index + 1}` } : undefined} />
            {photo.id ? (
              <Button className='photos__remove' onClick={() => remove(photo.localPath)} {...pressable(() => remove(photo.localPath))} aria-label={`删除照片 ${index + 1}`}>
                删除
              </Button>
            ) : (
              <Text className='photos__uploading'>上传中…</Text>
            )}
          </View>
        ))}
        {room > 0 && (
          <Button className='photos__add' onClick={choose} {...pressable(choose)} aria-label={`添加照片，还可添加 ${room} 张`}>
            <Text className='photos__plus' aria-hidden='true'>
              +
            </Text>
            <Text className='photos__add-text'>添加照片</Text>
          </Button>
        )}
      </View>
      <Text className='photos__hint'>
        最多 {COMPLAINT_LIMITS.photos} 张，JPG、PNG 或 WebP，每张不超过 {COMPLAINT_LIMITS.photoBytes / 1024 / 1024} MB
      </Text>
      {error && (
        <View className='photos__error field-error' role='alert'>
          {error}
        </View>
      )}
    </View>
  );
}
