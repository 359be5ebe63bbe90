// Opens one label stack (the <id>.stack.labels.tif of `nuclei segment --z stitch`) with ImageJ itself and prints its
// dimensions as ImageJ sees them, and the largest label over all slices: a z-stack is channels=1 slices=N frames=1
// (without the ImageJ description ImageJ would show N frames, or the first page alone).
// Run: xvfb-run -a java -jar ij.jar -batch stack_dimensions.ijm FILE
path = getArgument();
setBatchMode(true);
open(path);
getDimensions(width, height, channels, slices, frames);
Stack.getStatistics(voxels, mean, min, max);
print("width=" + width + " height=" + height + " channels=" + channels + " slices=" + slices + " frames=" + frames
    + " bit_depth=" + bitDepth() + " max_label=" + max);
close("*");
