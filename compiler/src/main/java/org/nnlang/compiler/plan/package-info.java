/**
 * Stage 4: training graph → execution plan. One buffer per value (views share), allocated once; training and inference schedules.
 */
package org.nnlang.compiler.plan;
