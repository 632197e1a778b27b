// What a training run is asked to do: one zod schema shared by the contract and main. Its defaults are the product
// model (MobileNetV2 at 64 px, SimCLR τ = 0.2, hybrid quantum head Q = 8, L = 3, AdamW + cosine, two-stage
// fine-tuning, early stopping on val AUC). It lives with the contract so the renderer never bundles main's code.
import { z } from 'zod';

export const ENCODERS = ['mobilenet_v2', 'resnet18', 'efficientnet_b0', 'simple_cnn'] as const;

/** ssl-quantum: the product model; ssl-classical: same without the quantum layer; supervised: the baselines. */
export const METHODS = ['ssl-quantum', 'ssl-classical', 'supervised'] as const;

const epochsAndSteps = {
  /** Caps the steps of one epoch (0 = a full pass): fits a run into a time budget without changing the schedule. */
  maxStepsPerEpoch: z.number().int().min(0).default(0),
};

export const TrainingConfigSchema = z
  .object({
    method: z.enum(METHODS).default('ssl-quantum'),
    encoder: z.enum(ENCODERS).default('mobilenet_v2'),
    imageSize: z.number().int().min(16).max(512).default(64),
    batchSize: z.number().int().min(2).max(1024).default(32),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
    threads: z.number().int().min(1).max(64).default(2),
    /**
     * Data-parallel ranks on this machine, one process each (c10d/Gloo on loopback, docs/scale-out.md): batchSize is
     * the global batch, split over them, and `threads` is per rank. 1 = one process, as before.
     */
    processes: z.number().int().min(1).max(16).default(1),
    deterministic: z.boolean().default(true),
    /**
     * Pins the CPU kernels to AVX2 and the thread pools to `threads` (cpu-kernels.ts), in a process of the run's own,
     * so any x86-64 machine with AVX2 computes the same weights. Off by default: the pin gives up AVX-512's speed.
     */
    reproducible: z.boolean().default(false),
    /** Where the network computes: cpu, or cuda / cuda:N with a CUDA build of libtorch (refused as device-unavailable otherwise). */
    device: z.string().regex(/^(cpu|cuda(:\d{1,2})?)$/, 'device must be cpu, cuda or cuda:N').default('cpu'),
    /**
     * How patches become the network's input (src-main/preprocessing). fit: 'resize' stretches every patch to
     * imageSize; 'pad' keeps native scale, centred in the imageSize canvas with replicated borders (larger patches
     * shrink to fit). normalisation: 'per-image' stretches each patch's 1st–99th percentile to the full grey range
     * before the fixed (x/255 − 0.5)/0.25. Absent: resize and fixed, the patch-v1 transform every earlier model used.
     */
    input: z
      .object({
        fit: z.enum(['resize', 'pad']).default('resize'),
        normalisation: z.enum(['fixed', 'per-image']).default('fixed'),
      })
      .strict()
      .optional(),
    quantum: z
      .object({
        qubits: z.number().int().min(1).max(20).default(8),
        layers: z.number().int().min(1).max(50).default(3),
        rotation: z.enum(['RX', 'RY', 'RZ', 'Rot']).default('Rot'),
        entangler: z.enum(['CnotRing', 'CnotChain', 'CzRing']).default('CnotRing'),
        reupload: z.boolean().default(false),
        alphaInit: z.number().default(0.1),
      })
      .prefault({}),
    augment: z
      .object({
        rotationDegrees: z.number().min(0).max(45).default(10),
        cropScaleMin: z.number().gt(0).max(1).default(0.7),
        cropRatioMax: z.number().min(1).max(2).default(4 / 3),
        translate: z.number().min(0).max(0.3).default(0.05),
        shearDegrees: z.number().min(0).max(20).default(5),
        brightness: z.number().min(0).max(0.5).default(0.1),
        contrast: z.number().min(0).max(0.5).default(0.2),
        horizontalFlip: z.boolean().default(true),
        /**
         * Upside-down views with probability ½, in pretraining and fine-tuning alike. Absent or false: off, as every
         * earlier run (its encoders keep their pretraining folders); test-time averaging found the vertical flip useful.
         */
        verticalFlip: z.boolean().optional(),
        /**
         * Grey-level changes that fit angiograms, after contrast and brightness; absent or 0: off (as every earlier run).
         * gamma: γ log-uniform in [1/(1+gamma), 1+gamma]; blurSigma: Gaussian blur σ uniform in [0.1, blurSigma] px with
         * probability blurProbability (absent: 0.5); noise: Gaussian noise σ uniform in [0, noise] of the grey range.
         */
        gamma: z.number().min(0).max(1).optional(),
        blurSigma: z.number().min(0).max(5).optional(),
        blurProbability: z.number().min(0).max(1).optional(),
        noise: z.number().min(0).max(0.5).optional(),
      })
      .prefault({}),
    pretrain: z
      .object({
        epochs: z.number().int().min(0).default(10),
        learningRate: z.number().positive().default(1e-3),
        weightDecay: z.number().min(0).default(1e-4),
        warmupSteps: z.number().int().min(0).default(50),
        temperature: z.number().positive().default(0.2),
        /**
         * Self-supervised objective. Absent: 'simclr' (NT-Xent with `temperature`). 'byol': online network + predictor
         * learn the other view's projection by an EMA target whose momentum rises from emaMomentum (absent: 0.99) to 1
         * along a cosine over the stage (Grill et al. 2020); `temperature` is then unused.
         */
        objective: z.enum(['simclr', 'byol']).optional(),
        emaMomentum: z.number().min(0).max(1).optional(),
        /** Unlabelled images used (first N by name); 0 = all. */
        unlabeledLimit: z.number().int().min(0).default(0),
        knnNeighbours: z.number().int().min(1).default(20),
        ...epochsAndSteps,
      })
      .prefault({}),
    finetune: z
      .object({
        headEpochs: z.number().int().min(0).default(3),
        headLearningRate: z.number().positive().default(1e-3),
        epochs: z.number().int().min(1).default(20),
        learningRate: z.number().positive().default(1e-3),
        encoderLrScale: z.number().positive().max(1).default(0.1),
        trainableBlocks: z.number().int().min(1).default(6),
        weightDecay: z.number().min(0).default(1e-4),
        warmupSteps: z.number().int().min(0).default(0),
        patience: z.number().int().min(1).default(5),
        /** auto: inverse-frequency weights when one class outnumbers the other by ≥ 1.2×. */
        classWeights: z.enum(['auto', 'none']).default('auto'),
        /**
         * Semi-supervised fine-tuning on the pretraining pool (FixMatch): each fine-tuning step also draws
         * ratio × batchSize pool images, pseudo-labels those the model gives a class with probability ≥ threshold
         * (weak view) and adds weight × the cross-entropy of their strong views against it. Absent: off.
         */
        unlabeledConsistency: z
          .object({
            weight: z.number().min(0).default(1),
            threshold: z.number().gt(0).max(1).default(0.95),
            ratio: z.number().int().min(1).max(64).default(7),
          })
          .strict()
          .optional(),
        ...epochsAndSteps,
      })
      .prefault({}),
    threshold: z
      .object({
        rule: z.enum(['youden', 'sensitivity']).default('youden'),
        targetSensitivity: z.number().gt(0).max(1).default(0.9),
      })
      .prefault({}),
  })
  .strict();

export type TrainingConfig = z.output<typeof TrainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof TrainingConfigSchema>;

/** Where the images come from: a P-ADSD-style labelled root and, for SSL, an unlabelled folder. */
export const DatasetSourceSchema = z
  .object({
    labeledRoot: z.string().min(1),
    unlabeledDir: z.string().min(1).nullable().default(null),
  })
  .strict();
export type DatasetSource = z.output<typeof DatasetSourceSchema>;

export function parseTrainingConfig(input: unknown): TrainingConfig {
  return TrainingConfigSchema.parse(input);
}
