// Opens every <id>.labels.tif and <id>.rois.zip in the folder given as argument with ImageJ itself and prints,
// per image: distinct labels in the TIFF, ROIs in the zip, the TIFF's calibration, and how many ROIs do not cover
// exactly the pixels of their label (ImageJ's own pixel count inside the ROI vs the label's histogram count).
// Run: java -jar ij.jar -batch count_exports.ijm DIR   (under xvfb-run: the ROI Manager is a window)
dir = getArgument();
if (!endsWith(dir, "/")) dir = dir + "/";
setBatchMode(true);
files = getFileList(dir);
for (f = 0; f < files.length; f++) {
    if (!endsWith(files[f], ".labels.tif")) continue;
    id = substring(files[f], 0, lengthOf(files[f]) - lengthOf(".labels.tif"));
    open(dir + files[f]);
    getPixelSize(unit, pw, ph);
    bins = pow(2, bitDepth());
    if (bitDepth() == 32) bins = 1 + getValue("Max");
    getHistogram(values, counts, bins);
    labels = 0;
    for (i = 1; i < counts.length; i++) if (counts[i] > 0) labels++;
    roiManager("reset");
    roiManager("Open", dir + id + ".rois.zip");
    n = roiManager("count");
    bad = 0;
    for (i = 0; i < n; i++) {
        roiManager("select", i);
        label = parseInt(Roi.getName);
        getStatistics(area, mean, min, max);
        pixels = round(area / (pw * ph));
        if (min != label || max != label || pixels != counts[label]) bad++;
    }
    print(id + " labels=" + labels + " rois=" + n + " calibration=" + pw + " " + unit + " rois_not_matching_their_label=" + bad);
    close("*");
}
