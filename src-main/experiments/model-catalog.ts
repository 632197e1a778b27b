// The models an experiment can compare, each a training method plus encoder, with the name the tables print.
import type { TrainingConfigInput } from '../training/index.ts';

export const MODEL_IDS = ['ssl-quantum', 'ssl-classical', 'mobilenet_v2', 'resnet18', 'efficientnet_b0', 'simple_cnn'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export const MODEL_CATALOG: Record<ModelId, { label: string; training: Pick<TrainingConfigInput, 'method' | 'encoder'> }> = {
  'ssl-quantum': { label: 'SSL-Quantum', training: { method: 'ssl-quantum', encoder: 'mobilenet_v2' } },
  'ssl-classical': { label: 'SSL (no quantum)', training: { method: 'ssl-classical', encoder: 'mobilenet_v2' } },
  mobilenet_v2: { label: 'MobileNetV2', training: { method: 'supervised', encoder: 'mobilenet_v2' } },
  resnet18: { label: 'ResNet18', training: { method: 'supervised', encoder: 'resnet18' } },
  efficientnet_b0: { label: 'EfficientNet-B0', training: { method: 'supervised', encoder: 'efficientnet_b0' } },
  simple_cnn: { label: 'SimpleCNN', training: { method: 'supervised', encoder: 'simple_cnn' } },
};
