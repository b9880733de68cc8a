package dev.retention.core;

/**
 * The result of {@link KMeans#fit}: the best restart's centres and what it took to get there.
 *
 * @param centroids final centres
 * @param labels the nearest centre of every training row (consistent with {@code centroids})
 * @param sizes rows per cluster
 * @param inertia sum of squared distances of rows to their nearest centre
 * @param iterations Lloyd iterations of the winning restart
 * @param converged whether the winning restart stopped by tolerance or a stable assignment
 * @param bestInit index of the winning restart
 * @param inertiaTrace the winning restart's inertia after each assignment step, when traced; else
 *     empty
 * @param distanceEvaluations point-to-centre distances computed over all restarts (effort measure)
 */
public record KMeansFit(
    Centroids centroids,
    int[] labels,
    long[] sizes,
    double inertia,
    int iterations,
    boolean converged,
    int bestInit,
    double[] inertiaTrace,
    long distanceEvaluations) {}
