/**
 * A network as an ordered list of layers ({@link dev.descent.network.Network}), with its named
 * parameters, and the usual multilayer-perceptron shape ({@link dev.descent.network.Architecture}).
 *
 * <p>Not here: how a network is trained or how its gradients are computed.
 */
package dev.descent.network;
