// The one PyTorch reference of the engine's networks (engine_networks.py): python scripts put this folder on
// sys.path and import it by module name.
import { fileURLToPath } from 'node:url';

/** The folder holding engine_networks.py. */
export const TORCH_REFERENCE_DIR = fileURLToPath(new URL('.', import.meta.url));
